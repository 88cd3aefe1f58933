namespace BnnHdl.Network;

/// <summary>Inference for the dot-product ops: Conv2d, Linear, ActMatMul, and MultiThreshold.</summary>
public static partial class ShapeInference
{
    private static TensorInfo? InferConv(string name, Conv2dOp o, TensorInfo x, LayerParams p, Report report)
    {
        int before = ProblemCount(report);
        if (!x.Type.IsQuantized)
            report.Add($"input '{x.Name}' is {x.Type}; a convolution takes U(k) or B activations (requantize it with a MultiThreshold first)");
        if (o.OutChannels < 1) report.Add($"output channels {o.OutChannels} must be at least 1");
        CheckWindowAttributes(o.Kernel, o.Stride, o.Pad, o.Dilation, report);
        CheckPadValue(o, x, report);
        var groups = CheckGroups(o, x.Shape.C, report);
        if (ProblemCount(report) > before || groups is null) return null;

        int oh = WindowOutput(x.Shape.H, o.Pad.Top, o.Pad.Bottom, o.Kernel.Y, o.Stride.Y, o.Dilation.Y, "height", report);
        int ow = WindowOutput(x.Shape.W, o.Pad.Left, o.Pad.Right, o.Kernel.X, o.Stride.X, o.Dilation.X, "width", report);
        if (oh == 0 || ow == 0) return null;

        int taps = o.Kernel.Y * o.Kernel.X;
        long weightCount = groups.Sum(g => (long)g.OutCount * g.InCount * taps);
        CheckWeights(p, weightCount, o.Weights, report);
        CheckBias(p, o.HasBias, o.OutChannels, report);

        var (pMin, pMax) = ProductBounds(x.Min, x.Max, o.Weights.ToValueType().Min, o.Weights.ToValueType().Max);
        long min = long.MaxValue, max = long.MinValue;
        foreach (var g in groups)
        {
            long k = (long)g.InCount * taps;
            min = Math.Min(min, k * pMin);
            max = Math.Max(max, k * pMax);
        }
        return WithBias(name, new Shape(o.OutChannels, oh, ow), min, max, p);
    }

    private static TensorInfo? InferLinear(string name, LinearOp o, TensorInfo x, LayerParams p, Report report)
    {
        if (!x.Type.IsQuantized)
            report.Add($"input '{x.Name}' is {x.Type}; a linear layer takes U(k) or B activations (requantize it with a MultiThreshold first)");
        if (o.OutFeatures < 1) report.Add($"output features {o.OutFeatures} must be at least 1");
        if (!x.Type.IsQuantized || o.OutFeatures < 1) return null;
        CheckWeights(p, (long)o.OutFeatures * x.Shape.C, o.Weights, report);
        CheckBias(p, o.HasBias, o.OutFeatures, report);
        var (pMin, pMax) = ProductBounds(x.Min, x.Max, o.Weights.ToValueType().Min, o.Weights.ToValueType().Max);
        return WithBias(name, new Shape(o.OutFeatures, x.Shape.H, x.Shape.W), x.Shape.C * pMin, x.Shape.C * pMax, p);
    }

    /// <summary>Adds the bias bounds (0 while the bias is not yet given) and picks the width.</summary>
    private static TensorInfo WithBias(string name, Shape shape, long min, long max, LayerParams p)
    {
        long bMin = 0, bMax = 0;
        if (p.Bias.Count > 0)
        {
            bMin = long.MaxValue; bMax = long.MinValue;
            foreach (int b in p.Bias.AsSpan()) { bMin = Math.Min(bMin, b); bMax = Math.Max(bMax, b); }
        }
        return TensorInfo.Signed(name, shape, min + bMin, max + bMax);
    }

    private static void CheckPadValue(Conv2dOp o, TensorInfo x, Report report)
    {
        if (x.Type.IsBipolar && o.PadValue == 0 && !o.Pad.IsNone)
            report.Add($"zero padding of the bipolar input '{x.Name}' is not representable; pad with +1 or -1");
        else if (x.Type.IsBipolar && o.PadValue is not (1 or -1 or 0))
            report.Add($"pad value {o.PadValue} for a bipolar input must be +1 or -1");
        else if (x.Type.IsUnsigned && o.PadValue != 0)
            report.Add($"pad value {o.PadValue} for the {x.Type} input '{x.Name}' must be 0");
    }

    private static IReadOnlyList<GroupRange>? CheckGroups(Conv2dOp o, int inChannels, Report report)
    {
        if (!o.Groups.IsUneven)
        {
            int g = o.Groups.Count;
            if (g < 1) { report.Add($"groups {g} must be at least 1"); return null; }
            bool ok = true;
            if (inChannels % g != 0) { report.Add($"groups {g} does not divide the {inChannels} input channels"); ok = false; }
            if (o.OutChannels % g != 0) { report.Add($"groups {g} does not divide the {o.OutChannels} output channels"); ok = false; }
            return ok ? o.Groups.Resolve(inChannels, o.OutChannels) : null;
        }

        int before = ProblemCount(report);
        var covered = new int[Math.Max(o.OutChannels, 0)];
        foreach (var r in o.Groups.Ranges)
        {
            if (r.InStart < 0 || r.InEnd > inChannels || r.InCount < 1)
                report.Add($"group {r}: input channels {r.InStart}..{r.InEnd} must be a non-empty range within 0..{inChannels}");
            if (r.OutStart < 0 || r.OutEnd > o.OutChannels || r.OutCount < 1)
                report.Add($"group {r}: output channels {r.OutStart}..{r.OutEnd} must be a non-empty range within 0..{o.OutChannels}");
            else
                for (int c = r.OutStart; c < r.OutEnd; c++) covered[c]++;
        }
        int missing = Array.FindIndex(covered, n => n == 0), twice = Array.FindIndex(covered, n => n > 1);
        if (missing >= 0) report.Add($"output channel {missing} belongs to no group");
        if (twice >= 0) report.Add($"output channel {twice} belongs to more than one group");
        return ProblemCount(report) > before ? null : o.Groups.Ranges;
    }

    private static void CheckWeights(LayerParams p, long expected, WeightType type, Report report)
    {
        if (p.Weights.Count == 0) return;
        if (p.Weights.Count != expected)
        {
            report.Add($"has {p.Weights.Count} weights, expected {expected}");
            return;
        }
        int bad = type == WeightType.Bipolar ? p.Weights.AsSpan().IndexOfAnyExcept((sbyte)-1, (sbyte)1)
                                             : p.Weights.AsSpan().IndexOfAnyExcept((sbyte)0, (sbyte)1);
        if (bad >= 0)
            report.Add($"weight {bad} is {p.Weights[bad]}; {type.Name()} weights are " + (type == WeightType.Bipolar ? "-1 or +1" : "0 or 1"));
    }

    private static void CheckBias(LayerParams p, bool hasBias, int channels, Report report)
    {
        if (p.Bias.Count == 0) return;
        if (!hasBias) report.Add("has bias values but was declared without a bias");
        else if (p.Bias.Count != channels) report.Add($"has {p.Bias.Count} bias values, expected {channels}");
    }

    private static TensorInfo? InferMatMul(string name, ActMatMulOp o, TensorInfo a, TensorInfo b, Report report)
    {
        if (!a.Type.IsQuantized) report.Add($"operand A '{a.Name}' is {a.Type}; act x act matmul takes U(k) or B");
        if (!b.Type.IsQuantized) report.Add($"operand B '{b.Name}' is {b.Type}; act x act matmul takes U(k) or B");
        // Matrix view of a tensor: [C][H*W]; transposed: [H*W][C].
        var (aRows, aCols) = o.TransposeA ? (a.Shape.Positions, a.Shape.C) : (a.Shape.C, a.Shape.Positions);
        var (bRows, bCols) = o.TransposeB ? (b.Shape.Positions, b.Shape.C) : (b.Shape.C, b.Shape.Positions);
        if (aCols != bRows)
            report.Add($"inner dimensions differ: A '{a.Name}' is {aRows}x{aCols}, B '{b.Name}' is {bRows}x{bCols}");
        if (o.OutH < 1 || o.OutW < 1 || (long)o.OutH * o.OutW != bCols)
            report.Add($"output layout {o.OutH}x{o.OutW} must hold the {bCols} columns of the product");
        if (!a.Type.IsQuantized || !b.Type.IsQuantized || aCols != bRows || (long)o.OutH * o.OutW != bCols) return null;
        var (pMin, pMax) = ProductBounds(a.Min, a.Max, b.Min, b.Max);
        return TensorInfo.Signed(name, new Shape(aRows, o.OutH, o.OutW), aCols * pMin, aCols * pMax);
    }

    private static TensorInfo? InferThreshold(string name, MultiThresholdOp o, TensorInfo x, LayerParams p, Report report)
    {
        if (o.OutType.IsSigned) { report.Add($"output type must be U(k) or B, got {o.OutType}"); return null; }
        int n = o.LevelsMinusOne, channels = x.Shape.C;
        if (p.Thresholds.Count > 0 || p.Direction.Count > 0)
        {
            if (p.Thresholds.Count != channels * n)
                report.Add($"has {p.Thresholds.Count} thresholds, expected {channels} channels x {n}");
            if (p.Direction.Count != channels)
                report.Add($"has {p.Direction.Count} directions, expected {channels}");
            else if (p.Direction.AsSpan().IndexOfAnyExcept((sbyte)-1, (sbyte)1) is int bad and >= 0)
                report.Add($"direction of channel {bad} is {p.Direction[bad]}; it must be +1 or -1");
            if (p.Thresholds.Count == channels * n)
                for (int c = 0; c < channels; c++)
                    for (int j = 1; j < n; j++)
                        if (p.Thresholds[c * n + j] < p.Thresholds[c * n + j - 1])
                        {
                            report.Add($"thresholds of channel {c} are not ascending: t[{j - 1}] = {p.Thresholds[c * n + j - 1]} > t[{j}] = {p.Thresholds[c * n + j]}");
                            break;
                        }
        }
        return TensorInfo.Of(name, x.Shape, o.OutType);
    }

    private static int ProblemCount(Report report) => report.Count;
}
