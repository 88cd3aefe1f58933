using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Third lowering pass: gives every tensor (the input, the constants and each layer's output)
/// a region of feature memory. Two tensors share words only if they are never live at the
/// same step; a layer's output is live while it runs, so it never overlaps its own input.
/// A Concat gets one region, and its operands are views into it (each operand's channels
/// from its offset), live from the first operand written to the last read of any of them.
/// Regions are placed first-fit in production order, so the input lands at word 0 and the
/// result is deterministic. The peak is the memory depth the engine needs. The input and output
/// of a vertical strip get rows pitched to 1 modulo the banks (<see cref="VerticalWalk"/>).
/// </summary>
public static class AllocateFeatureMemory
{
    public static AllocatedGraph Run(FusedGraph graph, EngineConfig config)
    {
        // Step 0 writes the input and the constants; layer i is step i + 1.
        var born = new Dictionary<string, int> { [graph.Input.Name] = 0 };
        foreach (var c in graph.Constants) born[c.Out.Name] = 0;
        for (int i = 0; i < graph.Layers.Count; i++) born[graph.Layers[i].Out.Name] = i + 1;
        // A Concat is complete when its last operand is written.
        foreach (var v in graph.Views) born[v.Out.Name] = v.Operands.Max(o => born[o.Name]);
        var dies = new Dictionary<string, int>(born);
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            // The input, a product's broadcast operand, and the operand a fused Add or gate reads at write-back.
            foreach (var t in graph.Layers[i].Reads) dies[t.Name] = Math.Max(dies[t.Name], i + 1);
        }
        foreach (var o in graph.Outputs) dies[o] = FmRegion.End;

        // The tensors that own words: views (Concat operands) live in their Concat's region.
        var viewOf = graph.Views.SelectMany(v => v.Operands.Select((o, k) => (o.Name, View: v, Offset: v.Offset(k))))
            .ToDictionary(e => e.Name, e => (e.View, e.Offset));
        var owners = new List<TensorInfo> { graph.Input };
        owners.AddRange(graph.Constants.Select(c => c.Out));
        owners.AddRange(graph.Layers.Select(l => l.Out).Where(t => !viewOf.ContainsKey(t.Name)));
        owners.AddRange(graph.Views.Select(v => v.Out));
        // A Concat's region lives from its first operand's write to the last read of it or of any operand.
        foreach (var v in graph.Views)
        {
            var members = v.Operands.Select(o => o.Name).Append(v.Out.Name).ToList();
            (born[v.Out.Name], dies[v.Out.Name]) = (members.Min(m => born[m]), members.Max(m => dies[m]));
        }

        // The tensors a vertical strip reads (input, residual or gate) or writes get rows pitched for column accesses,
        // unless an act x act product reads one as its broadcast operand (whose element address
        // is one step per position: contiguous positions only).
        var broadcast = graph.Layers.Where(l => l.Dot.Broadcast is not null).Select(l => l.Dot.Broadcast!.Tensor.Name).ToHashSet();
        var pitched = graph.Layers.Where(l => VerticalWalk.Candidate(l, config)).SelectMany(l => new[] { l.In.Name, l.Out.Name, l.Operand?.Name })
            .OfType<string>().Where(t => !broadcast.Contains(t)).ToHashSet();
        var placed = new List<FmRegion>();
        foreach (var t in owners.OrderBy(t => born[t.Name]))
        {
            int pitch = pitched.Contains(t.Name) ? VerticalWalk.Pitch(t.Shape.W * t.Type.StoredBits, config.Banks) : 0;
            var region = new FmRegion(t.Name, t.Type, t.Shape, 0, (t.Shape.C + config.S - 1) / config.S,
                t.Type.StoredBits, born[t.Name], dies[t.Name], Pitch: pitch);
            placed.Add(region with { Base = FirstFit(region, placed) });
        }
        var regions = new List<FmRegion>(placed);
        foreach (var layer in graph.Layers.Where(l => viewOf.ContainsKey(l.Out.Name)))
        {
            var (view, offset) = viewOf[layer.Out.Name];
            var whole = placed.Single(r => r.Tensor == view.Out.Name);
            regions.Add(whole with { Tensor = layer.Out.Name, Type = layer.Out.Type, Shape = layer.Out.Shape, C0 = offset });
        }
        // Regions in a stable order: the input, constants and layer outputs as produced, then the views.
        var ordered = regions.OrderBy(r => born.GetValueOrDefault(r.Tensor)).ThenBy(r => graph.Views.Any(v => v.Out.Name == r.Tensor) ? 1 : 0).ToList();
        var views = graph.Views.Select(v => new ViewLayer(v.Name, v.Out.Name, v.Operands.Max(o => born[o.Name]) - 1)).ToEquatableArray();
        if (views.Any(v => v.AfterLayer < 0))
            throw new InvalidOperationException("a Concat view has no operand written by an engine layer");
        return new AllocatedGraph(graph, ordered.ToEquatableArray(), placed.Max(r => r.Limit), views);
    }

    /// <summary>The lowest word at which the region overlaps no region it is live with.</summary>
    private static int FirstFit(FmRegion region, List<FmRegion> placed)
    {
        var conflicts = placed.Where(region.LiveTogether).ToList();
        var candidates = conflicts.Select(r => r.Limit).Prepend(0).Distinct().Order();
        return candidates.First(start => conflicts.All(r => start + region.Words <= r.Base || r.Limit <= start));
    }
}
