using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>Every tensor of one run of the reference model, by layer name.</summary>
public sealed record ReferenceRun(Graph Network, IReadOnlyDictionary<string, TensorData> Tensors)
{
    public TensorData this[string name] => Tensors[name];
}

/// <summary>
/// The bit-exact reference model (SPEC.md): evaluates a complete network (all parameters
/// given) layer by layer. Dot products run on bit-packed bit-planes with AND and popcount.
/// </summary>
public static class ReferenceModel
{
    /// <summary>Runs every layer; <paramref name="progress"/> hears each layer name as it starts.</summary>
    public static ReferenceRun Run(Graph network, TensorData input, IProgress<string>? progress = null)
    {
        var missing = network.LayersMissingParameters().Select(l => $"'{l.Name}'").ToList();
        if (missing.Count > 0)
        {
            var named = missing.Count <= 3 ? string.Join(", ", missing)
                : string.Join(", ", missing.Take(3)) + $" and {missing.Count - 3} more";
            throw new BnnHdlException(
                $"network '{network.Name}': cannot run the reference model, parameters are missing for {named} (load weights or fill them with a seed)");
        }

        var inputInfo = network.Input.Output;
        if (input.Shape != inputInfo.Shape || input.Type != inputInfo.Type)
            throw new BnnHdlException(
                $"network '{network.Name}': input '{inputInfo.Name}' expects a {inputInfo.Shape} {inputInfo.Type} tensor, got {input.Shape} {input.Type}");

        var tensors = new Dictionary<string, TensorData>(network.Layers.Count);
        foreach (var layer in network.Layers)
        {
            progress?.Report(layer.Name);
            tensors[layer.Name] = layer.Op is InputOp ? input : Evaluate(layer, layer.Inputs.Select(i => tensors[i]).ToList());
        }
        return new ReferenceRun(network, tensors);
    }

    /// <summary>Evaluates one layer on its input tensors (in the layer's input order).</summary>
    public static TensorData Evaluate(Layer layer, IReadOnlyList<TensorData> inputs)
    {
        if (layer.Op is InputOp)
            throw new ArgumentException($"layer '{layer.Name}' is the network input; it has nothing to evaluate", nameof(layer));
        if (inputs.Count != layer.Inputs.Count)
            throw new ArgumentException($"layer '{layer.Name}' takes {layer.Inputs.Count} input(s), got {inputs.Count}", nameof(inputs));
        if (Graph.NeedsParameters(layer))
            throw new BnnHdlException($"layer '{layer.Name}' ({layer.Op.OpName}): parameters are missing");
        RequireInputsFit(layer, inputs);

        return layer.Op switch
        {
            Conv2dOp o => Convolution.Conv2d(layer, o, inputs[0]),
            LinearOp o => Convolution.Linear(layer, o, inputs[0]),
            ActMatMulOp o => MatMul.Evaluate(layer, o, inputs[0], inputs[1]),
            MultiThresholdOp o => Elementwise.MultiThreshold(layer, o, inputs[0]),
            AddOp o => Elementwise.Add(layer, o, inputs[0], inputs[1]),
            MulOp => Elementwise.Mul(layer, inputs[0], inputs[1]),
            Pool2dOp o => Pooling.Pool2d(layer, o, inputs[0]),
            GlobalSumPoolOp => Pooling.GlobalSum(layer, inputs[0]),
            AdaptiveSumPoolOp o => Pooling.AdaptiveSum(layer, o, inputs[0]),
            CrossChannelMaxPoolOp o => Pooling.CrossChannelMax(layer, o, inputs[0]),
            UpsampleNearestOp o => ShapeOps.UpsampleNearest(layer, o, inputs[0]),
            ConcatOp => ShapeOps.Concat(layer, inputs),
            CoordChannelsOp o => ShapeOps.CoordChannels(layer, o, inputs[0]),
            _ => throw new InvalidOperationException($"layer '{layer.Name}': the reference model has no {layer.Op.OpName}"),
        };
    }

    /// <summary>
    /// The kernels read inputs by their own shapes; an input of another shape or type than the
    /// layer was built for would give a plausible but wrong result, so refuse it instead.
    /// </summary>
    private static void RequireInputsFit(Layer layer, IReadOnlyList<TensorData> inputs)
    {
        var problems = new List<string>();
        var infos = inputs.Select((t, i) => TensorInfo.Of(layer.Inputs[i], t.Shape, t.Type)).ToList();
        var inferred = ShapeInference.Infer(layer.Name, layer.Op, infos, layer.Params, problems);
        if (inferred is not null && inferred.Shape == layer.Output.Shape && inferred.Type.Kind == layer.Output.Type.Kind) return;
        string given = string.Join(", ", inputs.Select(t => $"{t.Shape} {t.Type}"));
        throw new ArgumentException(problems.Count > 0
            ? $"inputs {given} do not fit {problems[0]}"
            : $"layer '{layer.Name}' ({layer.Op.OpName}): inputs {given} give a {inferred!.Shape} {inferred.Type} output, the layer makes {layer.Output.Shape} {layer.Output.Type}",
            nameof(inputs));
    }

    /// <summary>
    /// The raw accumulator of a Conv2d or Linear layer before anything else (equals Evaluate
    /// for those ops); used by threshold calibration.
    /// </summary>
    public static TensorData Accumulate(Layer layer, TensorData input) => layer.Op switch
    {
        Conv2dOp or LinearOp => Evaluate(layer, [input]),
        _ => throw new ArgumentException($"layer '{layer.Name}' is a {layer.Op.OpName}; only Conv2d and Linear layers have an accumulator", nameof(layer)),
    };
}
