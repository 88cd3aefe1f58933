using System.Globalization;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// First lowering pass: checks that engine v1 can run every layer and rewrites the graph into
/// its vocabulary (<see cref="LegalGraph"/>). Engine v1 runs Conv2d and Linear, each either
/// alone (raw accumulator output) or followed by a residual Add with a tensor already in
/// feature memory, then either alone or followed by a MultiThreshold that it feeds exclusively,
/// so the two can be fused, optionally followed in turn by a CrossChannelMaxPool(G) that the
/// threshold feeds exclusively (pooled at write-back; G divides P and never straddles a
/// convolution group). Every problem is collected and reported together.
/// </summary>
public static class Legalize
{
    public static LegalGraph Run(Graph graph, EngineConfig config)
    {
        var problems = new List<string>();
        var consumers = graph.Layers.SelectMany(l => l.Inputs).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var nodes = new List<LegalNode>();
        var index = graph.Layers.Select((l, k) => (l.Name, k)).ToDictionary(e => e.Name, e => e.k);

        foreach (var layer in graph.Layers.Skip(1))
        {
            string where = $"layer '{layer.Name}' ({layer.Op.OpName})";
            if (layer.Op is not (Conv2dOp or LinearOp or MultiThresholdOp or CrossChannelMaxPoolOp or AddOp))
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
            if (layer.Op is CrossChannelMaxPoolOp pool)
            {
                var threshold = graph[layer.Inputs[0]];
                if (threshold.Op is not MultiThresholdOp || !FeedsOnlyNext(threshold)
                    || DotBehind(graph[threshold.Inputs[0]]) is not { } dot)
                    problems.Add($"{where}: not supported by engine v1 unless it directly follows a MultiThreshold fused with a Conv2d or Linear, whose output feeds only it");
                else
                    problems.AddRange(PoolProblems(where, pool.Group, graph, dot, config));
                nodes.Add(new PoolNode(layer.Name, input, layer.Output, pool.Group));
                continue;
            }
            if (layer.Op is AddOp add)
            {
                int acc = AccOperand(layer);
                if (acc < 0)
                {
                    problems.Add($"{where}: not supported by engine v1 unless one operand is a Conv2d or Linear whose output feeds only it (the other is read from feature memory)");
                    continue;
                }
                var dot = graph[layer.Inputs[acc]];
                var residual = graph[layer.Inputs[1 - acc]];
                // The engine runs layers in order: the residual must be stored before the dot product runs.
                if (index[residual.Name] > index[dot.Name])
                    problems.Add($"{where}: operand '{residual.Name}' is computed after '{dot.Name}' (the residual must be stored before the layer it is added to runs)");
                nodes.Add(new AddNode(layer.Name, dot.Output, layer.Output, residual.Output,
                    acc == 0 ? add.ShiftA : add.ShiftB, acc == 0 ? add.ShiftB : add.ShiftA));
                continue;
            }
            if (layer.Op is MultiThresholdOp)
            {
                var source = graph[layer.Inputs[0]];
                bool fusable = source.Op is Conv2dOp or LinearOp or AddOp && FeedsOnlyNext(source);
                if (!fusable)
                    problems.Add($"{where}: not supported by engine v1 unless it directly follows a Conv2d, Linear or residual Add whose output feeds only it");
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

        // A layer can be fused with the one after it only when nothing else sees its output.
        bool FeedsOnlyNext(Layer l) => consumers.GetValueOrDefault(l.Name) == 1 && !graph.Outputs.Contains(l.Name);

        // The operand of an Add that is its accumulator: a Conv2d / Linear feeding only the Add
        // (the later one when both do; the earlier then writes its raw output), or -1.
        int AccOperand(Layer add)
        {
            int best = -1;
            for (int k = 0; k < 2; k++)
            {
                var operand = graph[add.Inputs[k]];
                if (operand.Op is Conv2dOp or LinearOp && FeedsOnlyNext(operand)
                    && (best < 0 || index[operand.Name] > index[add.Inputs[best]]))
                    best = k;
            }
            return best;
        }

        // The dot product a threshold's source fuses with: the source itself, or the accumulator of a fused Add.
        Layer? DotBehind(Layer source)
        {
            if (!FeedsOnlyNext(source)) return null;
            if (source.Op is Conv2dOp or LinearOp) return source;
            if (source.Op is AddOp && AccOperand(source) is var acc and >= 0) return graph[source.Inputs[acc]];
            return null;
        }
    }

    /// <summary>
    /// The write-back pools groups of G adjacent PEs of one tile: G must be 2 or 4 (the
    /// comparator tree; 1 pools nothing), divide P (tiles are P-aligned, so every tile starts
    /// at a multiple of G) and not straddle a convolution group (a tile ends at its group's end).
    /// </summary>
    private static IEnumerable<string> PoolProblems(string where, int g, Graph graph, Layer dot, EngineConfig config)
    {
        var inv = CultureInfo.InvariantCulture;
        if (g is not (1 or 2 or 4))
        {
            yield return string.Create(inv, $"{where}: group G={g} is not supported by engine v1 (it pools 2 or 4 channels)");
            yield break;
        }
        if (config.P % g != 0)
            yield return string.Create(inv, $"{where}: group G={g} does not divide P={config.P}, the engine's output channels per tile");
        if (dot.Op is Conv2dOp conv)
        {
            int ic = graph.Tensor(dot.Inputs[0]).Shape.C;
            if (conv.Groups.Resolve(ic, conv.OutChannels).Any(r => r.OutStart % g != 0 || r.OutEnd % g != 0))
                yield return string.Create(inv, $"{where}: group G={g} straddles a convolution group of '{dot.Name}' (its output channel ranges must start and end at multiples of G)");
        }
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
