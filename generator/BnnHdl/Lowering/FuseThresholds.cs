using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Second lowering pass: every MultiThreshold joins the dot product in front of it, so its
/// comparison happens at write-back and the accumulator is never stored. Legalize has
/// checked that each threshold directly follows a dot product that feeds only it. A
/// CrossChannelMaxPool after the threshold joins too: the PEs pool their thresholded values
/// at write-back, so only the pooled channels are stored. A residual Add directly after the
/// dot product joins as well (before the threshold): its other operand is read from feature
/// memory at write-back; so does a gating Mul (its gate is read instead).
/// </summary>
public static class FuseThresholds
{
    public static FusedGraph Run(LegalGraph graph)
    {
        var thresholdOf = graph.Nodes.OfType<ThresholdNode>().ToDictionary(t => t.In.Name);
        var addOf = graph.Nodes.OfType<AddNode>().ToDictionary(a => a.In.Name);
        var gateOf = graph.Nodes.OfType<GateNode>().ToDictionary(a => a.In.Name);
        var poolOf = graph.Nodes.OfType<PoolNode>().ToDictionary(p => p.In.Name);
        var layers = graph.Nodes.OfType<DotNode>()
            .Select(dot =>
            {
                var add = addOf.GetValueOrDefault(dot.Out.Name);
                var gate = gateOf.GetValueOrDefault(dot.Out.Name);
                var threshold = thresholdOf.GetValueOrDefault((add?.Out ?? gate?.Out ?? dot.Out).Name);
                return new FusedLayer(dot, threshold, threshold is null ? null : poolOf.GetValueOrDefault(threshold.Out.Name), add, gate);
            })
            .ToEquatableArray();
        // Legalize emits every elementwise node, threshold and pool right behind its dot product.
        var attached = layers.SelectMany(l => new LegalNode?[] { l.Add, l.Gate, l.Threshold, l.Pool }).OfType<LegalNode>().ToHashSet();
        var stray = graph.Nodes.Where(n => n is AddNode or GateNode or ThresholdNode or PoolNode && !attached.Contains(n)).Select(n => n.Name).ToList();
        if (stray.Count > 0)
            throw new InvalidOperationException($"network '{graph.Name}': {string.Join(", ", stray)} did not fuse with a dot product");
        return new FusedGraph(graph.Name, graph.Input, layers, graph.Outputs,
            graph.Nodes.OfType<ConcatNode>().ToEquatableArray(), graph.Nodes.OfType<ConstantNode>().ToEquatableArray());
    }
}
