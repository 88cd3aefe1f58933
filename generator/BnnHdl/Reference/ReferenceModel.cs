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
    public static ReferenceRun Run(Graph network, TensorData input, IProgress<string>? progress = null) =>
        throw new NotImplementedException("being written (reference model helper)");

    /// <summary>Evaluates one layer on its input tensors (in the layer's input order).</summary>
    public static TensorData Evaluate(Layer layer, IReadOnlyList<TensorData> inputs) =>
        throw new NotImplementedException("being written (reference model helper)");

    /// <summary>
    /// The raw accumulator of a Conv2d or Linear layer before anything else (equals Evaluate
    /// for those ops); used by threshold calibration.
    /// </summary>
    public static TensorData Accumulate(Layer layer, TensorData input) =>
        throw new NotImplementedException("being written (reference model helper)");
}
