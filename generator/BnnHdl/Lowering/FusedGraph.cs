using System.Text;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// One engine layer: a dot product and, when fused, the MultiThreshold that requantizes its
/// accumulator at write-back, and when fused after that, the CrossChannelMaxPool that pools
/// groups of adjacent thresholded channels before they are stored. A residual
/// <see cref="Add"/> between the dot product and the threshold adds a stored tensor to the
/// accumulator at write-back; a <see cref="Gate"/> there multiplies it by a stored gate
/// instead. Without a threshold the layer writes the raw accumulator (or the raw sum).
/// </summary>
public sealed record FusedLayer(DotNode Dot, ThresholdNode? Threshold, PoolNode? Pool = null, AddNode? Add = null, GateNode? Gate = null)
{
    public string Name => Dot.Name;
    public TensorInfo In => Dot.In;
    /// <summary>The accumulator: its bounds clamp the thresholds and size the datapath.</summary>
    public TensorInfo Accumulator => Dot.Out;
    /// <summary>What the threshold compares (or the raw write-back stores): the Add's sum, or the accumulator.</summary>
    public TensorInfo Sum => Add?.Out ?? Gate?.Out ?? Dot.Out;
    /// <summary>The stored tensors this layer reads: its input, the broadcast operand of a product, the write-back operand.</summary>
    public IEnumerable<TensorInfo> Reads =>
        new[] { In, Dot.Broadcast?.Tensor, Operand }.Where(t => t is not null).Select(t => t!);

    /// <summary>The stored operand read at write-back: the residual of an Add or the gate of a Mul.</summary>
    public TensorInfo? Operand => Add?.Residual ?? Gate?.Gate;
    /// <summary>The tensor this layer stores: the pool's output, the threshold's, the sum or the accumulator itself.</summary>
    public TensorInfo Out => Pool?.Out ?? Threshold?.Out ?? Sum;
    /// <summary>log2 of the cross-channel pooling group (0 = no pooling).</summary>
    public int PoolLog2 => Pool?.Log2 ?? 0;
    public bool IsRaw => Threshold is null;

    /// <summary>
    /// The network tensor this layer's stored output equals: its own output, or for the copy
    /// pass that places a Concat operand in the Concat's view, the operand it copies.
    /// </summary>
    public string ExpectedTensor => Dot.SourceOp == "Concat" ? Dot.In.Name : Out.Name;

    /// <summary>The transpose pass of an act x act product stores its broadcast operand transposed (the expected value).</summary>
    public TensorInfo? TransposeOf => Dot.Broadcast is { Transposes: true } b ? b.Tensor : null;

    public string Dump() =>
        Dot.Dump() + (Add is null ? "" : "\n    fused " + Add.Dump()) + (Gate is null ? "" : "\n    fused " + Gate.Dump())
        + (Threshold is null ? (Operand is null ? "\n    raw accumulator out" : "\n    raw sum out") : "\n    fused " + Threshold.Dump())
        + (Pool is null ? "" : "\n    fused " + Pool.Dump());
}

/// <summary>
/// The output of <see cref="FuseThresholds"/>: the engine's layers in program order, the
/// Concats (views their operands are written into) and the constants preloaded with the input.
/// </summary>
public sealed record FusedGraph(string Name, TensorInfo Input, EquatableArray<FusedLayer> Layers, EquatableArray<string> Outputs,
    EquatableArray<ConcatNode> Views = default, EquatableArray<ConstantNode> Constants = default)
{
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append("fused ").Append(Name).Append('\n');
        sb.Append("  input ").Append(Input.Name).Append(": ").Append(Input).Append('\n');
        foreach (var c in Constants) sb.Append("  ").Append(c.Dump()).Append('\n');
        foreach (var layer in Layers) sb.Append("  ").Append(layer.Dump()).Append('\n');
        foreach (var v in Views) sb.Append("  ").Append(v.Dump()).Append('\n');
        sb.Append("  outputs: ").Append(string.Join(", ", Outputs)).Append('\n');
        return sb.ToString();
    }
}
