namespace BnnHdl.Quant;

/// <summary>
/// A small deterministic generator (SplitMix64) so that a seed gives the same parameters
/// and inputs on every machine and runtime version, independent of System.Random.
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for one named purpose, so adding a layer does not shift every other layer's draws.</summary>
    public static SeededRandom For(long seed, string purpose)
    {
        ulong h = 14695981039346656037UL; // FNV-1a of the purpose string
        foreach (char ch in purpose) { h ^= ch; h *= 1099511628211UL; }
        return new SeededRandom(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ h));
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [min, max] (inclusive).</summary>
    public long Next(long min, long max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max));
        ulong range = (ulong)(max - min) + 1;
        if (range == 0) return (long)NextUInt64();
        // Rejection sampling keeps the distribution exactly uniform.
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong v;
        do v = NextUInt64(); while (v >= limit);
        return min + (long)(v % range);
    }

    public bool NextBool() => (NextUInt64() & 1) != 0;

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
