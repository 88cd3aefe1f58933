using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Quant;

/// <summary>
/// Thresholds and directions for one MultiThreshold layer, cut from the actual values x of
/// its input so that every output level 0..n occurs in the layer's output.
/// <list type="bullet">
/// <item>Each channel draws its direction s[c] in {+1, -1}; everything below works on s[c]*x.</item>
/// <item>A channel with at least n+1 distinct values gets its own thresholds near the quantiles
///   j/(n+1) of its values (jittered), each threshold equal to one of its values, so every
///   level occurs in the channel and the "&gt;=" of SPEC 3.4 is exercised at exact ties.</item>
/// <item>Channels with fewer distinct values (a 1x1 output has one value per channel) share
///   thresholds cut the same way from the pooled values of all such channels, so they spread
///   over the levels and every level occurs somewhere in the layer.</item>
/// <item>If that still leaves a level empty (the pooled values have too few distinct values,
///   e.g. a bipolar input), each such channel instead maps its own values to consecutive
///   levels starting where the previous channel stopped, wrapping around.</item>
/// </list>
/// Thresholds are ascending int32 values within the bounds of s[c]*x.
/// </summary>
internal static class LevelThresholds
{
    /// <summary>Sorted distinct values and how often each occurs.</summary>
    private sealed record Distribution(long[] Values, long[] Counts)
    {
        public int Distinct => Values.Length;

        public static Distribution Of(long[] values)
        {
            Array.Sort(values);
            var distinct = new List<long>();
            var counts = new List<long>();
            foreach (long v in values)
            {
                if (distinct.Count > 0 && distinct[^1] == v) counts[^1]++;
                else { distinct.Add(v); counts.Add(1); }
            }
            return new Distribution(distinct.ToArray(), counts.ToArray());
        }

        public static Distribution Merge(IEnumerable<Distribution> parts)
        {
            var merged = new SortedDictionary<long, long>();
            foreach (var d in parts)
                for (int i = 0; i < d.Distinct; i++) merged[d.Values[i]] = merged.GetValueOrDefault(d.Values[i]) + d.Counts[i];
            return new Distribution(merged.Keys.ToArray(), merged.Values.ToArray());
        }
    }

    /// <param name="n">Thresholds per channel (2^k - 1 for U(k), 1 for B).</param>
    /// <param name="min">Lower bound of the input tensor.</param>
    /// <param name="max">Upper bound of the input tensor.</param>
    public static LayerParams Choose(string layerName, int n, TensorData x, long min, long max, long seed)
    {
        var random = SeededRandom.For(seed, layerName + "/thresholds");
        int channels = x.Shape.C, positions = x.Shape.Positions;
        var direction = new sbyte[channels];
        var signed = new Distribution[channels];
        for (int c = 0; c < channels; c++)
        {
            direction[c] = random.NextBool() ? (sbyte)1 : (sbyte)-1;
            var values = x.Span.Slice(c * positions, positions).ToArray();
            if (direction[c] < 0) for (int i = 0; i < values.Length; i++) values[i] = -values[i];
            signed[c] = Distribution.Of(values);
        }
        (long Low, long High) Bounds(int c) => direction[c] > 0 ? (min, max) : (-max, -min);

        var thresholds = new int[channels * n];
        var few = new List<int>();
        for (int c = 0; c < channels; c++)
        {
            if (signed[c].Distinct < n + 1) { few.Add(c); continue; }
            var cuts = CutIndices(signed[c].Counts, n, random);
            for (int j = 0; j < n; j++) thresholds[c * n + j] = ToInt32(signed[c].Values[cuts[j]]);
        }
        if (few.Count == 0) return LayerParams.Threshold(thresholds, direction);

        var pooled = Distribution.Merge(few.Select(c => signed[c]));
        bool covered = false;
        if (pooled.Distinct >= n + 1)
        {
            var cuts = CutIndices(pooled.Counts, n, random);
            foreach (int c in few)
            {
                // A pooled value may lie outside this channel's bounds when directions differ;
                // clamping keeps the threshold in bounds and changes no level below the top bound.
                var (low, high) = Bounds(c);
                for (int j = 0; j < n; j++) thresholds[c * n + j] = ToInt32(Math.Clamp(pooled.Values[cuts[j]], low, high));
            }
            // Channels with many values reach every level anyway; otherwise the shared cuts must.
            covered = few.Count < channels || few
                .SelectMany(c => signed[c].Values.Select(v => Level(v, thresholds.AsSpan(c * n, n))))
                .Distinct().Count() == n + 1;
        }
        if (!covered) SpreadOverLevels(few, signed, c => Bounds(c).High, n, thresholds, random);
        return LayerParams.Threshold(thresholds, direction);
    }

    /// <summary>
    /// n strictly increasing indices in [1, m-1] into m distinct values (m &gt;= n+1): cut j
    /// puts about j/(n+1) of all values below it (jittered by a quarter of a level), then the
    /// cuts are pushed apart so that no level is empty. Values at index &gt;= cut j reach level j.
    /// </summary>
    private static int[] CutIndices(long[] counts, int n, SeededRandom random)
    {
        int m = counts.Length;
        var below = new long[m];                      // below[i] = how many values are smaller than value i
        for (int i = 1; i < m; i++) below[i] = below[i - 1] + counts[i - 1];
        long total = below[m - 1] + counts[m - 1];

        var cuts = new int[n];
        for (int j = 0; j < n; j++)
        {
            double share = (j + 1 + (random.NextDouble() - 0.5) * 0.5) / (n + 1);
            long target = (long)Math.Round(share * total, MidpointRounding.AwayFromZero);
            int i = Array.BinarySearch(below, target);
            if (i < 0) i = ~i;                        // first index whose count below reaches the target
            cuts[j] = Math.Clamp(i, j + 1, m - n + j);
        }
        for (int j = 1; j < n; j++) cuts[j] = Math.Max(cuts[j], cuts[j - 1] + 1);
        return cuts;
    }

    /// <summary>
    /// The fallback for channels with few distinct values: channel c maps its m values to the
    /// levels o, o+1, .., o+m-1, where o continues from the previous channel (a block that does
    /// not fit ends at level n, the next starts again at 0; the first starts at a random level),
    /// so the channels together sweep every level. A value at the top of the bounds
    /// always reaches level n: thresholds stay within the bounds, so none can lie above it.
    /// </summary>
    private static void SpreadOverLevels(List<int> few, Distribution[] signed, Func<int, long> top, int n,
        int[] thresholds, SeededRandom random)
    {
        int next = (int)random.Next(0, n);
        foreach (int c in few)
        {
            var values = signed[c].Values;
            int m = values.Length, offset = next > n ? 0 : Math.Min(next, n + 1 - m);
            var level = new int[m];
            for (int i = 0; i < m; i++) level[i] = values[i] == top(c) ? n : offset + i;
            // Threshold j is the smallest value meant to reach level j, or just above the largest if none is.
            for (int j = 1; j <= n; j++)
            {
                int i = Array.FindIndex(level, l => l >= j);
                thresholds[c * n + j - 1] = ToInt32(i >= 0 ? values[i] : values[^1] + 1);
            }
            next = offset + m;
        }
    }

    /// <summary>SPEC 3.4 for one value already multiplied by its direction.</summary>
    private static int Level(long signedValue, ReadOnlySpan<int> thresholds)
    {
        int q = 0;
        foreach (int t in thresholds) if (signedValue >= t) q++;
        return q;
    }

    private static int ToInt32(long v) => (int)Math.Clamp(v, int.MinValue, int.MaxValue);
}
