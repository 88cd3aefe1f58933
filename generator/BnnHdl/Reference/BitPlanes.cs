using System.Numerics;
using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// How a quantized operand enters the bit-plane algebra of SPEC section 2: its value is
/// <c>Alpha * X + Beta</c> with <c>X</c> the unsigned number held in <c>Planes</c> stored bits.
/// U(k): X = value (alpha 1, beta 0, k planes); B: X = the stored bit u (alpha 2, beta -1).
/// </summary>
internal readonly record struct OperandCode(int Planes, long Alpha, long Beta)
{
    public static OperandCode For(DataType type) => type.Kind switch
    {
        ValueKind.Unsigned => new(type.Bits, 1, 0),
        ValueKind.Bipolar => new(1, 2, -1),
        _ => throw new InvalidOperationException($"{type} values cannot enter a bitwise dot product"),
    };

    public static OperandCode For(WeightType weights) => For(weights.ToValueType());

    /// <summary>The stored bits of one value (B: bit 1 = +1, bit 0 = -1).</summary>
    public byte Stored(long value) => Alpha == 1 ? (byte)value : (byte)(value > 0 ? 1 : 0);

    /// <summary>The stored bits of every value of a tensor, converted once per layer.</summary>
    public byte[] StoredAll(ReadOnlySpan<long> values)
    {
        var stored = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) stored[i] = Stored(values[i]);
        return stored;
    }
}

/// <summary>
/// The constants that turn the popcounts of one dot product of K terms into its integer
/// value. Expanding sum (aA*Xa + bA)(aW*Xw + bW) gives
/// <c>aA*aW*cross + aA*bW*sumXa + bA*aW*sumXw + bA*bW*K</c> where
/// cross = sum_p sum_q 2^(p+q) pc(Xa_p AND Xw_q), sumXa = sum_p 2^p pc(Xa_p), likewise sumXw.
/// </summary>
internal readonly record struct DotAlgebra(OperandCode A, OperandCode W)
{
    public long Combine(long cross, long sumA, long sumW, long terms) =>
        A.Alpha * W.Alpha * cross + A.Alpha * W.Beta * sumA + A.Beta * W.Alpha * sumW + A.Beta * W.Beta * terms;
}

/// <summary>
/// Bit-plane packing and the AND + popcount kernel. A packed row of K terms and P planes is
/// <c>P * words</c> ulongs, plane p first: bit t of plane p is bit p of the t-th term.
/// </summary>
internal static class BitPlanes
{
    public static int WordsFor(int terms) => (terms + 63) >> 6;

    /// <summary>Sets term <paramref name="t"/> of a cleared packed row to the stored bits <paramref name="x"/>.</summary>
    public static void SetTerm(Span<ulong> row, int words, int planes, int t, uint x)
    {
        int w = t >> 6, b = t & 63;
        for (int p = 0; p < planes && x != 0; p++, x >>= 1)
            row[p * words + w] |= (ulong)(x & 1) << b;
    }

    /// <summary>sum_p 2^p pc(plane p): the sum of the stored numbers X of one row.</summary>
    public static long PlaneSum(ReadOnlySpan<ulong> row, int words, int planes)
    {
        long sum = 0;
        for (int p = 0; p < planes; p++)
        {
            long pc = 0;
            var plane = row.Slice(p * words, words);
            for (int i = 0; i < plane.Length; i++) pc += BitOperations.PopCount(plane[i]);
            sum += pc << p;
        }
        return sum;
    }

    /// <summary>sum_p sum_q 2^(p+q) pc(a_p AND w_q) over two packed rows of the same word count.</summary>
    public static long Cross(ReadOnlySpan<ulong> a, int planesA, ReadOnlySpan<ulong> w, int planesW, int words)
    {
        if (words == 1) return CrossOneWord(a, planesA, w, planesW);
        long sum = 0;
        for (int q = 0; q < planesW; q++)
        {
            var wq = w.Slice(q * words, words);
            for (int p = 0; p < planesA; p++)
            {
                var ap = a.Slice(p * words, words);
                long pc = 0;
                for (int i = 0; i < words; i++) pc += BitOperations.PopCount(ap[i] & wq[i]);
                sum += pc << (p + q);
            }
        }
        return sum;
    }

    // Short rows (depthwise windows, small channel counts) are the common case: skip the slicing.
    private static long CrossOneWord(ReadOnlySpan<ulong> a, int planesA, ReadOnlySpan<ulong> w, int planesW)
    {
        long sum = 0;
        for (int q = 0; q < planesW; q++)
        {
            ulong wq = w[q];
            for (int p = 0; p < planesA; p++) sum += (long)BitOperations.PopCount(a[p] & wq) << (p + q);
        }
        return sum;
    }
}
