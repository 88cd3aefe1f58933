using System.Globalization;

namespace BnnHdl.Network;

/// <summary>
/// A tensor's static description. <c>Min</c>/<c>Max</c> are the value bounds that decide
/// widths (SPEC 3.1); for U(k) and B they are the type's own range.
/// </summary>
public sealed record TensorInfo(string Name, Shape Shape, DataType Type, long Min, long Max)
{
    public static TensorInfo Of(string name, Shape shape, DataType type) => new(name, shape, type, type.Min, type.Max);

    /// <summary>A signed tensor with the smallest type that holds [min, max].</summary>
    public static TensorInfo Signed(string name, Shape shape, long min, long max) =>
        new(name, shape, DataType.SignedFor(min, max), min, max);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Shape} {Type} [{Min}, {Max}]");
}

/// <summary>
/// A layer's parameters; an empty array means "not given yet" (filled by
/// <see cref="Quant.RandomParameters"/>). Layouts: weights [OC][IC/group][KH][KW] flattened
/// per output channel (uneven groups: each channel has its own group's IC), bias [OC],
/// thresholds [C][n] flattened, direction [C] (+1 / -1).
/// </summary>
public sealed record LayerParams(
    EquatableArray<sbyte> Weights, EquatableArray<int> Bias,
    EquatableArray<int> Thresholds, EquatableArray<sbyte> Direction)
{
    public static LayerParams None { get; } = new(
        EquatableArray<sbyte>.Empty, EquatableArray<int>.Empty, EquatableArray<int>.Empty, EquatableArray<sbyte>.Empty);

    public static LayerParams Conv(sbyte[] weights, int[]? bias = null) => None with
    {
        Weights = EquatableArray<sbyte>.TakeOwnership(weights),
        Bias = bias is null ? EquatableArray<int>.Empty : EquatableArray<int>.TakeOwnership(bias),
    };

    public static LayerParams Threshold(int[] thresholds, sbyte[] direction) => None with
    {
        Thresholds = EquatableArray<int>.TakeOwnership(thresholds),
        Direction = EquatableArray<sbyte>.TakeOwnership(direction),
    };

    public override string ToString()
    {
        var parts = new List<string>();
        if (Weights.Count > 0) parts.Add($"weights={Weights.Count}");
        if (Bias.Count > 0) parts.Add($"bias={Bias.Count}");
        if (Thresholds.Count > 0) parts.Add($"thresholds={Thresholds.Count}");
        if (Direction.Count > 0) parts.Add($"direction={Direction.Count}");
        return string.Join(" ", parts).ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>One node of the graph: an operation on named input tensors producing <see cref="Output"/>.</summary>
public sealed record Layer(string Name, Op Op, EquatableArray<string> Inputs, LayerParams Params, TensorInfo Output)
{
    /// <summary>Stable one-line text form (the Network dump).</summary>
    public string Dump()
    {
        var attrs = Op.Attributes.Length > 0 ? " " + Op.Attributes : "";
        var pars = Params.ToString();
        return $"{Name} = {Op.OpName}({string.Join(", ", Inputs)}){attrs} -> {Output}" + (pars.Length > 0 ? " {" + pars + "}" : "");
    }
}
