using System.Globalization;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// First lowering pass: checks that engine v1 can run every layer and rewrites the graph into
/// its vocabulary (<see cref="LegalGraph"/>). Engine v1 runs Conv2d and Linear, each either
/// alone (raw accumulator output) or followed by a MultiThreshold that it feeds exclusively,
/// so the two can be fused. Every problem is collected and reported together.
/// </summary>
public static class Legalize
{
    public static LegalGraph Run(Graph graph, EngineConfig config)
    {
        var problems = new List<string>();
        var consumers = graph.Layers.SelectMany(l => l.Inputs).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var nodes = new List<LegalNode>();

        foreach (var layer in graph.Layers.Skip(1))
        {
            string where = $"layer '{layer.Name}' ({layer.Op.OpName})";
            if (layer.Op is not (Conv2dOp or LinearOp or MultiThresholdOp))
            {
                problems.Add($"{where}: not supported by engine v1");
                continue;
            }
            if (Graph.NeedsParameters(layer))
            {
                problems.Add($"{where}: parameters are missing (load weights or fill them with a seed)");
                continue;
            }
            var input = graph.Tensor(layer.Inputs[0]);
            if (layer.Op is MultiThresholdOp)
            {
                var source = graph[layer.Inputs[0]];
                bool fusable = source.Op is Conv2dOp or LinearOp
                               && consumers.GetValueOrDefault(source.Name) == 1 && !graph.Outputs.Contains(source.Name);
                if (!fusable)
                    problems.Add($"{where}: not supported by engine v1 unless it directly follows a Conv2d or Linear whose output feeds only it");
                else if (TooWide(layer.Output.Type, config))
                    problems.Add($"{where}: output {layer.Output.Type} has more bits than the engine's maximum of {Bits(config)}");
                nodes.Add(new ThresholdNode(layer.Name, input, layer.Output, layer.Params.Thresholds, layer.Params.Direction));
                continue;
            }
            if (TooWide(input.Type, config))
                problems.Add($"{where}: input {input.Type} has more bits than the engine's maximum of {Bits(config)}");
            nodes.Add(Dot(layer, input));
        }
        if (!graph.Layers.Any(l => l.Op is Conv2dOp or LinearOp))
            problems.Add("no Conv2d or Linear layer for the engine to run");
        if (problems.Count > 0) throw new ValidationException($"network '{graph.Name}'", problems);
        return new LegalGraph(graph.Name, graph.Input.Output, nodes.ToEquatableArray(), graph.Outputs);
    }

    private static bool TooWide(DataType type, EngineConfig config) => type.IsUnsigned && type.Bits > config.MaxActivationBits;

    private static string Bits(EngineConfig config) =>
        config.MaxActivationBits.ToString(CultureInfo.InvariantCulture) + " activation bits";

    private static DotNode Dot(Layer layer, TensorInfo input)
    {
        int ic = input.Shape.C;
        var (geometry, weights, hasBias) = layer.Op switch
        {
            Conv2dOp c => (new DotGeometry(c.Kernel, c.Stride, c.Pad, c.Dilation,
                c.Groups.Resolve(ic, c.OutChannels).ToEquatableArray(), c.PadValue), c.Weights, c.HasBias),
            LinearOp l => (new DotGeometry(1, 1, Padding.None, 1,
                EquatableArray.From(new GroupRange(0, ic, 0, l.OutFeatures)), 0), l.Weights, l.HasBias),
            _ => throw new InvalidOperationException($"layer '{layer.Name}' is not a dot product"),
        };
        var bias = hasBias ? layer.Params.Bias : new int[layer.Output.Shape.C].ToEquatableArray();
        return new DotNode(layer.Name, layer.Op.OpName, input, layer.Output, geometry, weights, layer.Params.Weights, bias);
    }
}
