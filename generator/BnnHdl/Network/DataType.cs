using System.Globalization;

namespace BnnHdl.Network;

public enum ValueKind { Unsigned, Bipolar, Signed }

/// <summary>
/// The value types of SPEC.md section 1: U(k) unsigned k-bit (k = 1..8), B bipolar -1/+1
/// stored as one bit (1 = +1), I(w) signed two's complement accumulators.
/// </summary>
public sealed record DataType(ValueKind Kind, int Bits)
{
    public static DataType U(int bits) =>
        bits is >= 1 and <= 8 ? new(ValueKind.Unsigned, bits)
            : throw new BnnHdlException($"U({bits}) is not a value type: unsigned activations have 1 to 8 bits");

    public static DataType B { get; } = new(ValueKind.Bipolar, 1);

    public static DataType I(int bits) =>
        bits is >= 1 and <= 64 ? new(ValueKind.Signed, bits)
            : throw new BnnHdlException($"I({bits}) is not a value type: signed values have 1 to 64 bits");

    public bool IsUnsigned => Kind == ValueKind.Unsigned;
    public bool IsBipolar => Kind == ValueKind.Bipolar;
    public bool IsSigned => Kind == ValueKind.Signed;
    /// <summary>U(k) or B: a quantized activation that can enter a bitwise dot product.</summary>
    public bool IsQuantized => Kind != ValueKind.Signed;

    public long Min => Kind switch
    {
        ValueKind.Unsigned => 0,
        ValueKind.Bipolar => -1,
        _ => Bits == 64 ? long.MinValue : -(1L << (Bits - 1)),
    };

    public long Max => Kind switch
    {
        ValueKind.Unsigned => (1L << Bits) - 1,
        ValueKind.Bipolar => 1,
        _ => Bits == 64 ? long.MaxValue : (1L << (Bits - 1)) - 1,
    };

    public bool Contains(long value) => IsBipolar ? value is -1 or 1 : value >= Min && value <= Max;

    /// <summary>The smallest I(w) holding every value in [min, max] (SPEC 3.1: no wrap-around).</summary>
    public static DataType SignedFor(long min, long max)
    {
        for (int w = 1; w <= 64; w++)
        {
            var t = new DataType(ValueKind.Signed, w);
            if (min >= t.Min && max <= t.Max) return t;
        }
        return new DataType(ValueKind.Signed, 64);
    }

    /// <summary>Stored bits of one value: k for U(k), 1 for B, w for I(w).</summary>
    public int StoredBits => Bits;

    public string Name => Kind switch
    {
        ValueKind.Unsigned => "U" + Bits.ToString(CultureInfo.InvariantCulture),
        ValueKind.Bipolar => "B",
        _ => "I" + Bits.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() => Name;

    /// <summary>Parses "U4", "B", "I17" (the manifest spelling).</summary>
    public static DataType Parse(string text)
    {
        if (text == "B") return B;
        if (text.Length >= 2 && (text[0] == 'U' || text[0] == 'I')
            && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
            return text[0] == 'U' ? U(bits) : I(bits);
        throw new BnnHdlException($"'{text}' is not a value type (expected U1..U8, B or I1..I64)");
    }
}
