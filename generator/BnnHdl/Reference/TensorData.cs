using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// A tensor's values in channels-first order [C][H][W], as the integers they stand for
/// (B as -1 / +1, never as stored bits). Immutable; compares by content.
/// </summary>
public sealed record TensorData(Shape Shape, DataType Type, EquatableArray<long> Values)
{
    public long this[int c, int y, int x] => Values[(c * Shape.H + y) * Shape.W + x];

    public ReadOnlySpan<long> Span => Values.AsSpan();

    /// <summary>Wraps values after checking the count and that each value fits the type.</summary>
    public static TensorData Create(Shape shape, DataType type, long[] values)
    {
        if (values.LongLength != shape.Size)
            throw new ArgumentException($"{values.Length} values for a {shape} tensor");
        for (int i = 0; i < values.Length; i++)
            if (!type.Contains(values[i]))
                throw new InvalidOperationException($"value {values[i]} at index {i} does not fit {type}");
        return new TensorData(shape, type, EquatableArray<long>.TakeOwnership(values));
    }
}
