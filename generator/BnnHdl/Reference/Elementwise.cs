using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// The per-value operations: MultiThreshold (SPEC 3.4), Add with shifts and gating Mul
/// (SPEC 3.5). They work on the values directly; there is no dot product here.
/// </summary>
internal static class Elementwise
{
    /// <summary>q = #{ j : s[c] * x >= t[c][j] }; a B output is +1 for q = 1, -1 for q = 0.</summary>
    public static TensorData MultiThreshold(Layer layer, MultiThresholdOp op, TensorData x)
    {
        int n = op.LevelsMinusOne, positions = x.Shape.Positions;
        var thresholds = layer.Params.Thresholds.AsSpan();
        var direction = layer.Params.Direction.AsSpan();
        var values = x.Span;
        var result = new long[values.Length];
        for (int c = 0; c < x.Shape.C; c++)
        {
            var t = thresholds.Slice(c * n, n);
            RequireAscending(layer, t, c);
            bool negate = direction[c] < 0;
            for (int i = c * positions; i < (c + 1) * positions; i++)
            {
                long q = PassedCount(t, negate ? -values[i] : values[i]);
                result[i] = op.OutType.IsBipolar ? (q == 1 ? 1 : -1) : q;
            }
        }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>
    /// #{ j : v >= t[j] } for ascending t: the thresholds passed form a prefix, so its length
    /// is found by bisection (U(8) outputs have 255 thresholds per channel).
    /// </summary>
    private static int PassedCount(ReadOnlySpan<int> t, long v)
    {
        int lo = 0, hi = t.Length; // t[..lo] are passed, t[hi..] are not
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (v >= t[mid]) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Bisection counts correctly only on ascending thresholds; inference rejects others, so this is a bug check.</summary>
    private static void RequireAscending(Layer layer, ReadOnlySpan<int> t, int channel)
    {
        for (int j = 1; j < t.Length; j++)
            if (t[j] < t[j - 1])
                throw new InvalidOperationException($"layer '{layer.Name}' (MultiThreshold): thresholds of channel {channel} are not ascending");
    }

    /// <summary>(a &lt;&lt; sa) + (b &lt;&lt; sb); B operands enter as -1 / +1.</summary>
    public static TensorData Add(Layer layer, AddOp op, TensorData a, TensorData b)
    {
        ReadOnlySpan<long> av = a.Span, bv = b.Span;
        var result = new long[av.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (av[i] << op.ShiftA) + (bv[i] << op.ShiftB);
        return LayerOutput.Create(layer, result);
    }

    /// <summary>Gating: a U(1) gate passes x or 0 (AND); a B gate passes +x or -x (conditional negate).</summary>
    public static TensorData Mul(Layer layer, TensorData gate, TensorData x)
    {
        ReadOnlySpan<long> gv = gate.Span, xv = x.Span;
        bool bipolarGate = gate.Type.IsBipolar;
        var result = new long[xv.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = bipolarGate ? (gv[i] > 0 ? xv[i] : -xv[i]) : (gv[i] != 0 ? xv[i] : 0);
        return LayerOutput.Create(layer, result);
    }
}
