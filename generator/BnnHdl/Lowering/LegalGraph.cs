using System.Globalization;
using System.Text;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The window of a dot-product layer as the engine sees it: Linear is the 1x1 case, and the
/// groups are always the explicit list (equal groups expanded), in output-channel order.
/// </summary>
public sealed record DotGeometry(Pair Kernel, Pair Stride, Padding Pad, Pair Dilation, EquatableArray<GroupRange> Groups, int PadValue)
{
    public int Taps => Kernel.Y * Kernel.X;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"kernel={Kernel} stride={Stride} pad={Pad} dilation={Dilation} pad_value={PadValue} groups=[{string.Join(" ", Groups)}]");
}

/// <summary>A layer of the legal graph: the engine's vocabulary only.</summary>
public abstract record LegalNode(string Name, TensorInfo In, TensorInfo Out)
{
    public abstract string Dump();
}

/// <summary>
/// A Conv2d or Linear (<see cref="SourceOp"/>) with its parameters; the bias is always
/// present (zeros when the layer has none), so later passes need not ask.
/// </summary>
public sealed record DotNode(
    string Name, string SourceOp, TensorInfo In, TensorInfo Out, DotGeometry Geometry, WeightType WeightType,
    EquatableArray<sbyte> Weights, EquatableArray<int> Bias) : LegalNode(Name, In, Out)
{
    /// <summary>Start of each output channel's weights: [o][i in its group][ky][kx] (SPEC section 1 layout).</summary>
    public int[] WeightOffsets()
    {
        var inCount = new int[Out.Shape.C];
        foreach (var g in Geometry.Groups)
            for (int o = g.OutStart; o < g.OutEnd; o++) inCount[o] = g.InCount;
        var offsets = new int[Out.Shape.C];
        for (int o = 1; o < offsets.Length; o++) offsets[o] = offsets[o - 1] + inCount[o - 1] * Geometry.Taps;
        return offsets;
    }

    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = {SourceOp}({In.Name}: {In.Shape} {In.Type}) {Geometry} weights={WeightType.Name()} -> {Out} {{weights={Weights.Count} bias={Bias.Count}}}");
}

/// <summary>A MultiThreshold (SPEC 3.4): n thresholds and a direction per channel.</summary>
public sealed record ThresholdNode(
    string Name, TensorInfo In, TensorInfo Out, EquatableArray<int> Thresholds, EquatableArray<sbyte> Direction)
    : LegalNode(Name, In, Out)
{
    /// <summary>Thresholds per channel: 2^k - 1 for U(k), 1 for B.</summary>
    public int Count => Out.Type.IsBipolar ? 1 : (1 << Out.Type.Bits) - 1;

    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = MultiThreshold({In.Name}) n={Count} -> {Out} {{thresholds={Thresholds.Count} direction={Direction.Count}}}");
}

/// <summary>
/// An Add (SPEC 3.5) of a dot product's accumulator <see cref="LegalNode.In"/> (shifted by
/// <see cref="ShiftAcc"/>) and a <see cref="Residual"/> tensor already in feature memory
/// (shifted by <see cref="ShiftRes"/>): sum = (acc &lt;&lt; sa) + (r &lt;&lt; sb), whatever
/// the operand order of the source layer.
/// </summary>
public sealed record AddNode(string Name, TensorInfo In, TensorInfo Out, TensorInfo Residual, int ShiftAcc, int ShiftRes)
    : LegalNode(Name, In, Out)
{
    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = Add({In.Name} << {ShiftAcc}, {Residual.Name}: {Residual.Type} << {ShiftRes}) -> {Out}");
}

/// <summary>
/// A CrossChannelMaxPool (SPEC 3.6) of <see cref="Group"/> adjacent channels of a fused
/// threshold's output: out[c] = max over in[c * G + g], g &lt; G.
/// </summary>
public sealed record PoolNode(string Name, TensorInfo In, TensorInfo Out, int Group) : LegalNode(Name, In, Out)
{
    /// <summary>log2(G): the program word's xcp_log2 field (0 = no pooling).</summary>
    public int Log2 => System.Numerics.BitOperations.Log2((uint)Group);

    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = CrossChannelMaxPool({In.Name}) G={Group} -> {Out}");
}

/// <summary>
/// The output of <see cref="Legalize"/>: a network the engine can run, in topological order,
/// made only of dot products, the residual Adds that directly follow them, the thresholds
/// that directly follow either and the cross-channel pools that directly follow those.
/// </summary>
public sealed record LegalGraph(string Name, TensorInfo Input, EquatableArray<LegalNode> Nodes, EquatableArray<string> Outputs)
{
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append("legal ").Append(Name).Append('\n');
        sb.Append("  input ").Append(Input.Name).Append(": ").Append(Input).Append('\n');
        foreach (var node in Nodes) sb.Append("  ").Append(node.Dump()).Append('\n');
        sb.Append("  outputs: ").Append(string.Join(", ", Outputs)).Append('\n');
        return sb.ToString();
    }
}
