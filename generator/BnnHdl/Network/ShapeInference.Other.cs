namespace BnnHdl.Network;

/// <summary>Inference for elementwise, pooling and shape operations (SPEC 3.5 - 3.7).</summary>
public static partial class ShapeInference
{
    private static TensorInfo? InferAdd(string name, AddOp o, TensorInfo a, TensorInfo b, Report report)
    {
        int before = report.Count;
        if (o.ShiftA is < 0 or > 31 || o.ShiftB is < 0 or > 31)
            report.Add($"shifts {o.ShiftA},{o.ShiftB} must be between 0 and 31");
        if (a.Shape != b.Shape) report.Add($"operand shapes differ: '{a.Name}' is {a.Shape}, '{b.Name}' is {b.Shape}");
        if (report.Count > before) return null;
        long min = (a.Min << o.ShiftA) + (b.Min << o.ShiftB);
        long max = (a.Max << o.ShiftA) + (b.Max << o.ShiftB);
        return TensorInfo.Signed(name, a.Shape, min, max);
    }

    private static TensorInfo? InferMul(string name, TensorInfo gate, TensorInfo x, Report report)
    {
        bool ok = true;
        if (!(gate.Type.IsBipolar || gate.Type == DataType.U(1)))
        {
            report.Add($"gate '{gate.Name}' is {gate.Type}; a gate must be U1 (AND) or B (conditional negate)");
            ok = false;
        }
        if (gate.Shape != x.Shape)
        {
            report.Add($"operand shapes differ: gate '{gate.Name}' is {gate.Shape}, '{x.Name}' is {x.Shape}");
            ok = false;
        }
        if (!ok) return null;
        if (gate.Type.IsUnsigned && x.Type.IsUnsigned) return TensorInfo.Of(name, x.Shape, x.Type);
        long min = gate.Type.IsBipolar ? Math.Min(x.Min, -x.Max) : Math.Min(0, x.Min);
        long max = gate.Type.IsBipolar ? Math.Max(x.Max, -x.Min) : Math.Max(0, x.Max);
        return TensorInfo.Signed(name, x.Shape, min, max);
    }

    private static TensorInfo? InferPool(string name, Pool2dOp o, TensorInfo x, Report report)
    {
        int before = report.Count;
        CheckWindowAttributes(o.Kernel, o.Stride, o.Pad, Pair.Of(1), report);
        if (o.IsMax && !x.Type.IsQuantized) report.Add($"input '{x.Name}' is {x.Type}; max pooling takes U(k) or B");
        if (o.Pad.Top >= o.Kernel.Y || o.Pad.Bottom >= o.Kernel.Y || o.Pad.Left >= o.Kernel.X || o.Pad.Right >= o.Kernel.X)
            report.Add($"padding {o.Pad} must be smaller than the kernel {o.Kernel}, or a window could hold only padding");
        if (report.Count > before) return null;
        int oh = WindowOutput(x.Shape.H, o.Pad.Top, o.Pad.Bottom, o.Kernel.Y, o.Stride.Y, 1, "height", report);
        int ow = WindowOutput(x.Shape.W, o.Pad.Left, o.Pad.Right, o.Kernel.X, o.Stride.X, 1, "width", report);
        if (oh == 0 || ow == 0) return null;
        var shape = new Shape(x.Shape.C, oh, ow);
        if (o.IsMax) return TensorInfo.Of(name, shape, x.Type) with { Min = x.Min, Max = x.Max };
        var (cMin, cMax) = (WindowCounts(x.Shape.H, oh, o.Kernel.Y, o.Stride.Y, o.Pad.Top),
                            WindowCounts(x.Shape.W, ow, o.Kernel.X, o.Stride.X, o.Pad.Left));
        return SumBounds(name, shape, x, (long)cMin.Min * cMax.Min, (long)cMin.Max * cMax.Max);
    }

    /// <summary>Smallest and largest number of real (unpadded) input rows any window covers.</summary>
    private static (int Min, int Max) WindowCounts(int size, int outSize, int kernel, int stride, int padBefore)
    {
        int min = int.MaxValue, max = 0;
        for (int i = 0; i < outSize; i++)
        {
            int start = i * stride - padBefore;
            int n = Math.Min(start + kernel, size) - Math.Max(start, 0);
            min = Math.Min(min, n); max = Math.Max(max, n);
        }
        return (min, max);
    }

    /// <summary>Bounds of a sum of between minCount and maxCount values of x.</summary>
    private static TensorInfo SumBounds(string name, Shape shape, TensorInfo x, long minCount, long maxCount)
    {
        long min = Math.Min(minCount * x.Min, maxCount * x.Min);
        long max = Math.Max(minCount * x.Max, maxCount * x.Max);
        return TensorInfo.Signed(name, shape, min, max);
    }

    private static TensorInfo InferGlobalSum(string name, TensorInfo x) =>
        SumBounds(name, new Shape(x.Shape.C, 1, 1), x, x.Shape.Positions, x.Shape.Positions);

    private static TensorInfo? InferAdaptive(string name, AdaptiveSumPoolOp o, TensorInfo x, Report report)
    {
        if (o.Bins.Y < 1 || o.Bins.X < 1) { report.Add($"bins {o.Bins} must be at least 1x1"); return null; }
        var (ry, rx) = (AdaptiveCounts(x.Shape.H, o.Bins.Y), AdaptiveCounts(x.Shape.W, o.Bins.X));
        return SumBounds(name, new Shape(x.Shape.C, o.Bins.Y, o.Bins.X), x, (long)ry.Min * rx.Min, (long)ry.Max * rx.Max);
    }

    /// <summary>PyTorch's adaptive bin of index i: [floor(i*n/bins), ceil((i+1)*n/bins)).</summary>
    public static (int Start, int End) AdaptiveBin(int i, int size, int bins) =>
        ((int)((long)i * size / bins), (int)(((long)(i + 1) * size + bins - 1) / bins));

    private static (int Min, int Max) AdaptiveCounts(int size, int bins)
    {
        int min = int.MaxValue, max = 0;
        for (int i = 0; i < bins; i++)
        {
            var (s, e) = AdaptiveBin(i, size, bins);
            min = Math.Min(min, e - s); max = Math.Max(max, e - s);
        }
        return (min, max);
    }

    private static TensorInfo? InferCrossChannel(string name, CrossChannelMaxPoolOp o, TensorInfo x, Report report)
    {
        int before = report.Count;
        if (!x.Type.IsQuantized) report.Add($"input '{x.Name}' is {x.Type}; cross-channel pooling takes quantized U(k) or B values (after a MultiThreshold)");
        if (o.Group < 1) report.Add($"group {o.Group} must be at least 1");
        else if (x.Shape.C % o.Group != 0) report.Add($"group {o.Group} does not divide the {x.Shape.C} channels of '{x.Name}'");
        if (report.Count > before) return null;
        return TensorInfo.Of(name, x.Shape with { C = x.Shape.C / o.Group }, x.Type);
    }

    private static TensorInfo? InferUpsample(string name, UpsampleNearestOp o, TensorInfo x, Report report)
    {
        if (o.Factor.Y < 1 || o.Factor.X < 1) { report.Add($"factor {o.Factor} must be at least 1x1"); return null; }
        return x with { Name = name, Shape = new Shape(x.Shape.C, x.Shape.H * o.Factor.Y, x.Shape.W * o.Factor.X) };
    }

    private static TensorInfo? InferConcat(string name, IReadOnlyList<TensorInfo> xs, Report report)
    {
        int before = report.Count;
        var first = xs[0];
        foreach (var x in xs.Skip(1))
        {
            if (x.Type != first.Type) report.Add($"operands have different types: '{first.Name}' is {first.Type}, '{x.Name}' is {x.Type}");
            if (x.Shape.H != first.Shape.H || x.Shape.W != first.Shape.W)
                report.Add($"operands differ in size: '{first.Name}' is {first.Shape}, '{x.Name}' is {x.Shape}");
        }
        if (report.Count > before) return null;
        return new TensorInfo(name, first.Shape with { C = xs.Sum(x => x.Shape.C) }, first.Type,
            xs.Min(x => x.Min), xs.Max(x => x.Max));
    }

    private static TensorInfo? InferCoord(string name, CoordChannelsOp o, TensorInfo x, Report report)
    {
        if (o.Bits is < 1 or > 8) { report.Add($"coordinate bits {o.Bits} must be 1 to 8"); return null; }
        if (x.Type != DataType.U(o.Bits))
        {
            report.Add($"input '{x.Name}' is {x.Type}; coordinate channels of U{o.Bits} are appended to a U{o.Bits} tensor");
            return null;
        }
        return TensorInfo.Of(name, x.Shape with { C = x.Shape.C + 2 }, x.Type);
    }
}
