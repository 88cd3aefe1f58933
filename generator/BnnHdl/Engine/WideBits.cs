using System.Numerics;

namespace BnnHdl.Engine;

/// <summary>
/// Bit fields of words wider than 64 bits, held as little-endian 64-bit chunks (chunk 0 =
/// bits 0..63). Memory images, the simulator's memories and the descriptor packer all use
/// this one representation.
/// </summary>
public static class WideBits
{
    public static int Chunks(int bits) => (bits + 63) >> 6;

    /// <summary>Writes the low <paramref name="width"/> (1..64) bits of <paramref name="value"/> at <paramref name="lsb"/>.</summary>
    public static void Set(Span<ulong> word, int lsb, int width, ulong value)
    {
        if (width < 64) value &= (1UL << width) - 1;
        for (int done = 0; done < width;)
        {
            int bit = lsb + done, chunk = bit >> 6, offset = bit & 63;
            int take = Math.Min(64 - offset, width - done);
            ulong mask = take == 64 ? ulong.MaxValue : ((1UL << take) - 1) << offset;
            word[chunk] = (word[chunk] & ~mask) | ((value >> done) << offset & mask);
            done += take;
        }
    }

    /// <summary>Reads <paramref name="width"/> (1..64) bits at <paramref name="lsb"/> as an unsigned value.</summary>
    public static ulong Get(ReadOnlySpan<ulong> word, int lsb, int width)
    {
        ulong value = 0;
        for (int done = 0; done < width;)
        {
            int bit = lsb + done, chunk = bit >> 6, offset = bit & 63;
            int take = Math.Min(64 - offset, width - done);
            ulong part = word[chunk] >> offset;
            if (take < 64) part &= (1UL << take) - 1;
            value |= part << done;
            done += take;
        }
        return value;
    }

    /// <summary>Reads a <paramref name="width"/>-bit two's complement field.</summary>
    public static long GetSigned(ReadOnlySpan<ulong> word, int lsb, int width)
    {
        ulong raw = Get(word, lsb, width);
        return width == 64 ? (long)raw : (long)(raw << (64 - width)) >> (64 - width);
    }

    /// <summary>Copies the bit range [lsb, lsb + width) of <paramref name="word"/> to bit 0 of <paramref name="target"/>.</summary>
    public static void Extract(ReadOnlySpan<ulong> word, int lsb, int width, Span<ulong> target)
    {
        target.Clear();
        for (int done = 0; done < width; done += 64)
            target[done >> 6] = Get(word, lsb + done, Math.Min(64, width - done));
    }

    /// <summary>
    /// Shifts the <paramref name="bits"/>-bit value in <paramref name="word"/> up by
    /// <paramref name="by"/> bits in place, chunk by chunk; bits shifted past the width are dropped.
    /// </summary>
    public static void ShiftUp(Span<ulong> word, int by, int bits)
    {
        int whole = by >> 6, part = by & 63;
        // From the top chunk down, so every chunk read is not yet overwritten.
        for (int c = word.Length - 1; c >= 0; c--)
        {
            ulong hi = c - whole >= 0 ? word[c - whole] << part : 0;
            ulong lo = part != 0 && c - whole - 1 >= 0 ? word[c - whole - 1] >> (64 - part) : 0;
            word[c] = hi | lo;
        }
        if ((bits & 63) != 0) word[Chunks(bits) - 1] &= (1UL << (bits & 63)) - 1;
    }

    /// <summary>Bits needed to write <paramref name="value"/> (>= 0) unsigned; at least 1.</summary>
    public static int UnsignedWidth(long value) =>
        value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : Math.Max(1, 64 - BitOperations.LeadingZeroCount((ulong)value));

    /// <summary>Bits of the smallest two's complement type holding [min, max]; at least 1.</summary>
    public static int SignedWidth(long min, long max)
    {
        int w = 1;
        while (w < 64 && (min < -(1L << (w - 1)) || max > (1L << (w - 1)) - 1)) w++;
        return w;
    }

    /// <summary>The word as $readmemh digits: ceil(bits / 4) hex digits, most significant first.</summary>
    public static string Hex(ReadOnlySpan<ulong> word, int bits)
    {
        int digits = (bits + 3) >> 2;
        var text = new char[digits];
        for (int d = 0; d < digits; d++)
        {
            int nibble = (int)Get(word, d * 4, Math.Min(4, bits - d * 4));
            text[digits - 1 - d] = "0123456789abcdef"[nibble];
        }
        return new string(text);
    }
}
