using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The per-channel constants of docs/engine.md "Arithmetic" and "Write-back": the folded
/// bias (the weight-only terms of the SPEC section 2 algebra) and the thresholds turned into
/// plain "acc >= t'" comparisons with a direction bit.
/// </summary>
public static class Folding
{
    /// <summary>
    /// bias'_o = bias_o + beta_a * alpha_w * sum(V_o) + beta_a * beta_w * K_o, where V are the
    /// stored weight bits and K_o counts the channel's terms in this program word (taps of
    /// <paramref name="part"/> x group inputs, padded positions included, since they enter the
    /// sum with the pad value). beta_a is that of the type the engine reads the input as.
    /// </summary>
    public static long[] Bias(FusedLayer layer, DotPart part)
    {
        var dot = layer.Dot;
        if (dot.Broadcast is { } b)
        {
            // Act x act: only beta_a * beta_b * K is constant; the operand sums are counted at run time.
            long k = part.Taps, both = dot.ReadType.IsBipolar && b.ReadType.IsBipolar ? 1 : 0;
            return dot.Bias.Select(v => v + both * k).ToArray();
        }
        bool bipolarW = dot.WeightType == WeightType.Bipolar;
        long betaA = dot.ReadType.IsBipolar ? -1 : 0, alphaW = bipolarW ? 2 : 1, betaW = bipolarW ? -1 : 0;
        var offsets = dot.WeightOffsets();
        var folded = new long[dot.Out.Shape.C];
        foreach (var g in dot.Geometry.Groups)
        {
            int k = g.InCount * part.Taps;
            for (int o = g.OutStart; o < g.OutEnd; o++)
            {
                // Stored bit V is 1 for a +1 bipolar weight and for a 1 unipolar weight.
                long ones = dot.AllOnes ? k : dot.Weights.AsSpan().Slice(offsets[o], k).Count((sbyte)1);
                folded[o] = dot.Bias[o] + betaA * alphaW * ones + betaA * betaW * k;
            }
        }
        return folded;
    }

    /// <summary>
    /// t'[c][j] and the direction bit of each channel: q = #{j : s*acc >= t_j} is
    /// cnt = #{j : acc >= t_j} for s = +1 and n - #{j : acc >= 1 - t_j} for s = -1. Each t'
    /// is clamped to [accMin, accMax + 1] (of the residual sum when an Add is fused), which
    /// changes no count (every acc passes accMin, none passes accMax + 1) and keeps the values as narrow as the accumulator.
    /// </summary>
    public static (long[] Values, bool[] Negated) Thresholds(FusedLayer layer)
    {
        var thr = layer.Threshold ?? throw new ArgumentException($"layer '{layer.Name}' has no threshold", nameof(layer));
        int n = thr.Count, channels = thr.Out.Shape.C;
        long lo = layer.Sum.Min, hi = layer.Sum.Max + 1;
        var values = new long[channels * n];
        var negated = new bool[channels];
        for (int c = 0; c < channels; c++)
        {
            negated[c] = thr.Direction[c] < 0;
            for (int j = 0; j < n; j++)
            {
                long t = thr.Thresholds[c * n + j];
                values[c * n + j] = Math.Clamp(negated[c] ? 1 - t : t, lo, hi);
            }
        }
        return (values, negated);
    }
}
