using System.Globalization;
using BnnHdl.Reference;
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

/// <summary>How the engine reduces a dot product (docs/engine.md "Engine v2 modes").</summary>
public enum DotMode
{
    /// <summary>v1: every PE sums over the lanes of its group's input channels.</summary>
    Dense,
    /// <summary>lane_mode: channel c in, channel c out, one lane per PE (depthwise, sum pools, copies).</summary>
    Lane,
    /// <summary>lane_mode + pool_max: the maximum over the window's inside taps.</summary>
    LaneMax,
    /// <summary>
    /// lane_mode + inside_count: the sum of a B input over the window's inside taps (sum
    /// pooling with padding): the bits are summed and acc = 2 * bits - inside taps.
    /// </summary>
    LaneBipolarSum,
}

/// <summary>
/// The other operand of an act x act product (docs/engine.md "Activation x activation
/// products"): element [k][m] is channel k at position m (<see cref="PerTap"/>: Bm not
/// transposed) or channel m at position k. <see cref="ReadsBits"/>: a B operand is read as its
/// stored bit (the transpose pass). <see cref="Transposes"/>: the product is a transpose of
/// this operand by an identity, so its output equals the operand transposed.
/// </summary>
public sealed record Broadcast(TensorInfo Tensor, bool PerTap, bool ReadsBits = false, bool Transposes = false)
{
    /// <summary>The type the engine reads the operand as.</summary>
    public DataType ReadType => ReadsBits && Tensor.Type.IsBipolar ? DataType.U(1) : Tensor.Type;
}

/// <summary>A rectangle of a stored tensor: the input window of one program word.</summary>
public sealed record Window(int Y0, int X0, int H, int W);

/// <summary>The output positions one program word writes: (Y0 + y * Sy, X0 + x * Sx) for y &lt; H, x &lt; W.</summary>
public sealed record OutGrid(int Y0, int X0, int Sy, int Sx, int H, int W);

/// <summary>
/// One program word of a layer that runs as several (docs/engine.md "Layers of several
/// program words"): its own kernel, stride and padding, input window and output grid.
/// </summary>
public sealed record DotPart(Pair Kernel, Pair Stride, Padding Pad, Window In, OutGrid Out)
{
    public int Taps => Kernel.Y * Kernel.X;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"part(kernel={Kernel} stride={Stride} pad={Pad} in=[{In.Y0},{In.X0} {In.H}x{In.W}] out=[{Out.Y0},{Out.X0} step {Out.Sy},{Out.Sx} {Out.H}x{Out.W}])");
}

/// <summary>
/// A dot product: a Conv2d or Linear (<see cref="SourceOp"/>) with its parameters, or an
/// operation the lowering expressed as one (pooling, upsampling, the copy pass of a
/// standalone elementwise op or threshold). The bias is always present (zeros when the
/// layer has none), so later passes need not ask. Empty <see cref="Weights"/> means every
/// weight is 1 (unipolar): pooling and copies. <see cref="ReadsBits"/>: a B input is read as
/// its stored bit (U1), for copies and max pooling. <see cref="Parts"/> (empty = one part
/// covering the whole input and output) splits the layer into program words.
/// </summary>
public sealed record DotNode(
    string Name, string SourceOp, TensorInfo In, TensorInfo Out, DotGeometry Geometry, WeightType WeightType,
    EquatableArray<sbyte> Weights, EquatableArray<int> Bias,
    DotMode Mode = DotMode.Dense, bool ReadsBits = false, EquatableArray<DotPart> Parts = default,
    Broadcast? Broadcast = null, InputWindows? Windows = null) : LegalNode(Name, In, Out)
{
    /// <summary>The type the engine reads the input as.</summary>
    public DataType ReadType => ReadsBits && In.Type.IsBipolar ? DataType.U(1) : In.Type;

    public bool AllOnes => Weights.Count == 0;

    /// <summary>The program words of this layer: <see cref="Parts"/>, or the whole layer as one.</summary>
    public IReadOnlyList<DotPart> Words() => Parts.Count > 0 ? Parts :
        [new DotPart(Geometry.Kernel, Geometry.Stride, Geometry.Pad, new Window(0, 0, In.Shape.H, In.Shape.W),
            new OutGrid(0, 0, 1, 1, Out.Shape.H, Out.Shape.W))];

    /// <summary>The stored weight bit of output channel o, input channel i of its group, tap (ky, kx).</summary>
    public bool WeightBit(int[] offsets, int o, int i, int ky, int kx) =>
        AllOnes || Weights[offsets[o] + (i * Geometry.Kernel.Y + ky) * Geometry.Kernel.X + kx] == 1;

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

    public override string Dump()
    {
        string mode = Mode == DotMode.Dense ? "" : " mode=" + Mode.ToString().ToLowerInvariant();
        string parts = (Parts.Count == 0 ? "" : " " + string.Join(" ", Parts))
            + (Broadcast is { } b ? $" broadcast({b.Tensor.Name}: {b.Tensor.Type}{(b.ReadsBits ? " read as bits" : "")}, {(b.PerTap ? "per tap" : "per position")})" : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name} = {SourceOp}({In.Name}: {In.Shape} {In.Type}{(ReadsBits && In.Type.IsBipolar ? " read as bits" : "")}) {Geometry} weights={(AllOnes ? "ones" : WeightType.Name())}{mode} -> {Out} {{weights={Weights.Count} bias={Bias.Count}}}{parts}");
    }
}

/// <summary>
/// A gating Mul (SPEC 3.5) of a dot product's accumulator <see cref="LegalNode.In"/> by a
/// <see cref="Gate"/> tensor already in feature memory (U1: AND, B: conditional negate).
/// </summary>
public sealed record GateNode(string Name, TensorInfo In, TensorInfo Out, TensorInfo Gate) : LegalNode(Name, In, Out)
{
    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = Mul({Gate.Name}: {Gate.Type}, {In.Name}) -> {Out}");
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
/// A Concat (SPEC 3.7) as address generation: its operands are stored side by side in its
/// region (operand k from channel <see cref="Offsets"/>[k]), each written there by the layer
/// that produces it, or by a copy pass when that layer cannot (docs/engine.md "Views").
/// CoordChannels is the Concat of its input and a constant tensor.
/// </summary>
public sealed record ConcatNode(string Name, string SourceOp, EquatableArray<TensorInfo> Operands, TensorInfo Out)
    : LegalNode(Name, Operands[0], Out)
{
    public int Offset(int k) => Operands.Take(k).Sum(o => o.Shape.C);

    public override string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} = {SourceOp}({string.Join(", ", Operands.Select((o, k) => $"{o.Name} @{Offset(k)}"))}) -> {Out} (view)");
}

/// <summary>A constant tensor preloaded into feature memory with the input (coordinate channels).</summary>
public sealed record ConstantNode(string Name, TensorInfo Out, EquatableArray<long> Values, InputWindows? Windows = null)
    : LegalNode(Name, Out, Out)
{
    public override string Dump() => Windows is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Name} = constant -> {Out} (preloaded)")
        : string.Create(CultureInfo.InvariantCulture, $"{Name} = windows of the input ({Windows}) -> {Out} (preloaded)");

    /// <summary>The values: the constant's own, or (input windows) those of the network input's windows.</summary>
    public TensorData Data(TensorData input) =>
        Windows is null ? TensorData.Create(Out.Shape, Out.Type, Values.ToArray()) : Windows.Unfold(input, Out);
}

/// <summary>
/// The windows of a convolution over the network input, laid out as channels (im2col): the
/// host writes them into feature memory with the input, so the convolution runs as a 1 x 1
/// over C x KH x KW channels (channel (c * KH + ky) * KW + kx, the SPEC weight order) and
/// fills the lanes that a first layer of few channels would leave empty. Padded positions
/// hold the convolution's pad value.
/// </summary>
public sealed record InputWindows(Pair Kernel, Pair Stride, Padding Pad, Pair Dilation, int PadValue)
{
    public TensorData Unfold(TensorData input, TensorInfo windows)
    {
        var (inS, outS) = (input.Shape, windows.Shape);
        var values = new long[outS.Size];
        long pad = input.Type.IsBipolar ? PadValue : 0;
        for (int c = 0; c < inS.C; c++)
            for (int ky = 0; ky < Kernel.Y; ky++)
                for (int kx = 0; kx < Kernel.X; kx++)
                {
                    int j = (c * Kernel.Y + ky) * Kernel.X + kx;
                    for (int oy = 0; oy < outS.H; oy++)
                        for (int ox = 0; ox < outS.W; ox++)
                        {
                            int iy = oy * Stride.Y + ky * Dilation.Y - Pad.Top, ix = ox * Stride.X + kx * Dilation.X - Pad.Left;
                            bool inside = iy >= 0 && iy < inS.H && ix >= 0 && ix < inS.W;
                            values[((long)j * outS.H + oy) * outS.W + ox] = inside ? input[c, iy, ix] : pad;
                        }
                }
        return TensorData.Create(outS, windows.Type, values);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"kernel={Kernel} stride={Stride} pad={Pad} dilation={Dilation} pad_value={PadValue}");
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
/// made only of dot products, the residual Adds or gates that directly follow them, the
/// thresholds that directly follow either and the cross-channel pools that directly follow those.
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
