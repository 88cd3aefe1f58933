using System.Globalization;

namespace BnnHdl.Network;

/// <summary>
/// One operation of SPEC.md section 3 with its attributes (parameters live in
/// <see cref="LayerParams"/>). <see cref="OpName"/> is the manifest spelling;
/// <see cref="Attributes"/> is the stable text form used by dumps.
/// </summary>
public abstract record Op
{
    public abstract string OpName { get; }
    public abstract string Attributes { get; }

    protected static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

public enum WeightType { Bipolar, Unipolar }

public static class WeightTypeExtensions
{
    /// <summary>B (-1/+1) or U(1) (0/1), SPEC.md section 1.</summary>
    public static DataType ToValueType(this WeightType w) => w == WeightType.Bipolar ? DataType.B : DataType.U(1);
    public static string Name(this WeightType w) => w.ToValueType().Name;
}

/// <summary>The network input: an image (U(8)) or, for tests, any quantized tensor.</summary>
public sealed record InputOp(Shape Shape, DataType Type) : Op
{
    public override string OpName => "Input";
    public override string Attributes => F($"shape={Shape} type={Type}");
}

/// <summary>
/// Convolution groups: <c>Count</c> equal groups, or an explicit list of uneven ranges.
/// </summary>
public sealed record Groups(int Count, EquatableArray<GroupRange> Ranges)
{
    public static Groups Equal(int count) => new(count, EquatableArray<GroupRange>.Empty);
    public static Groups Uneven(IEnumerable<GroupRange> ranges)
    {
        var list = ranges.ToEquatableArray();
        return new(list.Count, list);
    }

    public bool IsUneven => Ranges.Count > 0;

    /// <summary>The explicit ranges for IC input and OC output channels (equal groups expanded).</summary>
    public IReadOnlyList<GroupRange> Resolve(int inChannels, int outChannels)
    {
        if (IsUneven) return Ranges;
        int icg = inChannels / Count, ocg = outChannels / Count;
        return Enumerable.Range(0, Count)
            .Select(g => new GroupRange(g * icg, (g + 1) * icg, g * ocg, (g + 1) * ocg)).ToArray();
    }

    public override string ToString() =>
        IsUneven ? "[" + string.Join(" ", Ranges) + "]" : Count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>SPEC 3.1. <c>PadValue</c> is 0 for U(k) inputs and +1 or -1 for B inputs.</summary>
public sealed record Conv2dOp(
    int OutChannels, Pair Kernel, Pair Stride, Padding Pad, Pair Dilation, Groups Groups,
    WeightType Weights, int PadValue, bool HasBias) : Op
{
    public override string OpName => "Conv2d";
    public override string Attributes =>
        F($"oc={OutChannels} kernel={Kernel} stride={Stride} pad={Pad} dilation={Dilation} groups={Groups} weights={Weights.Name()} pad_value={PadValue} bias={(HasBias ? "yes" : "no")}");
}

/// <summary>SPEC 3.2: a 1x1 convolution applied at every position (a vector when H = W = 1).</summary>
public sealed record LinearOp(int OutFeatures, WeightType Weights, bool HasBias) : Op
{
    public override string OpName => "Linear";
    public override string Attributes =>
        F($"out={OutFeatures} weights={Weights.Name()} bias={(HasBias ? "yes" : "no")}");
}

/// <summary>
/// SPEC 3.3. Each operand tensor C x H x W is viewed as the matrix [C][H*W] (rows are
/// channels), optionally transposed; the product [N][M] is stored as N x OutH x OutW.
/// </summary>
public sealed record ActMatMulOp(bool TransposeA, bool TransposeB, int OutH, int OutW) : Op
{
    public override string OpName => "ActMatMul";
    public override string Attributes =>
        F($"transpose_a={(TransposeA ? "yes" : "no")} transpose_b={(TransposeB ? "yes" : "no")} out_hw={OutH}x{OutW}");
}

/// <summary>SPEC 3.4: q = #{ j : s[c] * x >= t[c][j] }, output U(k) or B.</summary>
public sealed record MultiThresholdOp(DataType OutType) : Op
{
    public override string OpName => "MultiThreshold";
    public override string Attributes => F($"out={OutType}");

    /// <summary>Thresholds per channel: 2^k - 1 for U(k), 1 for B.</summary>
    public int LevelsMinusOne => OutType.IsBipolar ? 1 : (1 << OutType.Bits) - 1;
}

/// <summary>SPEC 3.5: (a &lt;&lt; ShiftA) + (b &lt;&lt; ShiftB).</summary>
public sealed record AddOp(int ShiftA, int ShiftB) : Op
{
    public override string OpName => "Add";
    public override string Attributes => F($"shifts={ShiftA},{ShiftB}");
}

/// <summary>SPEC 3.5 gating: inputs (gate, x); U(1) gate = AND, B gate = conditional negate.</summary>
public sealed record MulOp : Op
{
    public override string OpName => "Mul";
    public override string Attributes => "";
}

/// <summary>SPEC 3.6 windowed pooling; <c>IsMax</c> chooses MaxPool2d or SumPool2d.</summary>
public sealed record Pool2dOp(bool IsMax, Pair Kernel, Pair Stride, Padding Pad) : Op
{
    public override string OpName => IsMax ? "MaxPool2d" : "SumPool2d";
    public override string Attributes => F($"kernel={Kernel} stride={Stride} pad={Pad}");
}

public sealed record GlobalSumPoolOp : Op
{
    public override string OpName => "GlobalSumPool";
    public override string Attributes => "";
}

/// <summary>SPEC 3.6: PyTorch's adaptive bins, start = floor(i*H/bins), end = ceil((i+1)*H/bins).</summary>
public sealed record AdaptiveSumPoolOp(Pair Bins) : Op
{
    public override string OpName => "AdaptiveSumPool";
    public override string Attributes => F($"bins={Bins}");
}

/// <summary>SPEC 3.6 Condensation-Net: out[c] = max over in[c*G .. c*G+G-1].</summary>
public sealed record CrossChannelMaxPoolOp(int Group) : Op
{
    public override string OpName => "CrossChannelMaxPool";
    public override string Attributes => F($"group={Group}");
}

public sealed record UpsampleNearestOp(Pair Factor) : Op
{
    public override string OpName => "UpsampleNearest";
    public override string Attributes => F($"factor={Factor}");
}

public sealed record ConcatOp : Op
{
    public override string OpName => "Concat";
    public override string Attributes => "";
}

/// <summary>SPEC 3.7: appends two U(k) channels, x then y.</summary>
public sealed record CoordChannelsOp(int Bits) : Op
{
    public override string OpName => "CoordChannels";
    public override string Attributes => F($"bits={Bits}");
}
