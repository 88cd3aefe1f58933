namespace BnnHdl.Network;

/// <summary>
/// Infers the output tensor of one layer (shape, value type, value bounds) from its op,
/// inputs and parameters, and collects every problem with them. The builder and
/// <see cref="Network.Validate"/> both use it, so a graph is checked the same way however
/// it was made. Returns null when the output cannot be inferred.
/// </summary>
public static partial class ShapeInference
{
    /// <summary>Largest tensor the tools handle (values, not bits): 2^28, e.g. 3 x 9459 x 9459.</summary>
    public const long MaxTensorValues = 1L << 28;

    public static TensorInfo? Infer(string name, Op op, IReadOnlyList<TensorInfo> inputs, LayerParams p, List<string> problems)
    {
        var report = new Report(name, op, problems);
        int before = problems.Count;
        int expected = op switch
        {
            InputOp => 0,
            ActMatMulOp or AddOp or MulOp => 2,
            ConcatOp => -1,
            _ => 1,
        };
        if (expected >= 0 && inputs.Count != expected)
        {
            report.Add($"takes {expected} input(s), got {inputs.Count}");
            return null;
        }
        if (expected < 0 && inputs.Count < 1)
        {
            report.Add("takes at least one input");
            return null;
        }

        TensorInfo? result = op switch
        {
            InputOp o => InferInput(name, o, report),
            Conv2dOp o => InferConv(name, o, inputs[0], p, report),
            LinearOp o => InferLinear(name, o, inputs[0], p, report),
            ActMatMulOp o => InferMatMul(name, o, inputs[0], inputs[1], report),
            MultiThresholdOp o => InferThreshold(name, o, inputs[0], p, report),
            AddOp o => InferAdd(name, o, inputs[0], inputs[1], report),
            MulOp => InferMul(name, inputs[0], inputs[1], report),
            Pool2dOp o => InferPool(name, o, inputs[0], report),
            GlobalSumPoolOp => InferGlobalSum(name, inputs[0]),
            AdaptiveSumPoolOp o => InferAdaptive(name, o, inputs[0], report),
            CrossChannelMaxPoolOp o => InferCrossChannel(name, o, inputs[0], report),
            UpsampleNearestOp o => InferUpsample(name, o, inputs[0], report),
            ConcatOp => InferConcat(name, inputs, report),
            CoordChannelsOp o => InferCoord(name, o, inputs[0], report),
            _ => throw new InvalidOperationException($"no inference for {op.GetType().Name}"),
        };
        if (op is not (Conv2dOp or LinearOp or MultiThresholdOp) && !IsEmpty(p))
            report.Add("takes no parameters");
        if (result is not null && result.Shape.Size > MaxTensorValues)
            report.Add($"output {result.Shape} holds {result.Shape.Size:N0} values; a tensor holds at most {MaxTensorValues:N0}");
        return problems.Count > before ? null : result;
    }

    private static bool IsEmpty(LayerParams p) =>
        p.Weights.Count == 0 && p.Bias.Count == 0 && p.Thresholds.Count == 0 && p.Direction.Count == 0;

    /// <summary>Prefixes every problem with the layer, so errors point at it.</summary>
    private sealed class Report(string name, Op op, List<string> problems)
    {
        public void Add(string message) => problems.Add($"layer '{name}' ({op.OpName}): {message}");
        public int Count => problems.Count;
    }

    private static TensorInfo? InferInput(string name, InputOp o, Report report)
    {
        if (o.Shape.C < 1 || o.Shape.H < 1 || o.Shape.W < 1)
            report.Add($"input shape {o.Shape} must be positive in every dimension");
        if (!o.Type.IsQuantized) report.Add($"input type must be U(k) or B, got {o.Type}");
        return TensorInfo.Of(name, o.Shape, o.Type);
    }

    /// <summary>Output length of a windowed op (SPEC 3.1), or a problem if the window does not fit.</summary>
    private static int WindowOutput(int size, int padBefore, int padAfter, int kernel, int stride, int dilation,
        string axis, Report report)
    {
        int extent = dilation * (kernel - 1) + 1;
        int padded = size + padBefore + padAfter;
        if (extent > padded)
        {
            report.Add($"kernel {axis} {kernel}" + (dilation > 1 ? $" (dilated extent {extent})" : "")
                       + $" is larger than the padded input {axis} {padded}");
            return 0;
        }
        return (padded - extent) / stride + 1;
    }

    private static void CheckWindowAttributes(Pair kernel, Pair stride, Padding pad, Pair dilation, Report report)
    {
        if (kernel.Y < 1 || kernel.X < 1) report.Add($"kernel {kernel} must be at least 1x1");
        if (stride.Y < 1 || stride.X < 1) report.Add($"stride {stride} must be at least 1x1");
        if (dilation.Y < 1 || dilation.X < 1) report.Add($"dilation {dilation} must be at least 1x1");
        if (pad.Top < 0 || pad.Left < 0 || pad.Bottom < 0 || pad.Right < 0)
            report.Add($"padding {pad} must not be negative");
    }

    private static (long Min, long Max) ProductBounds(long aMin, long aMax, long bMin, long bMax)
    {
        long[] corners = [aMin * bMin, aMin * bMax, aMax * bMin, aMax * bMax];
        return (corners.Min(), corners.Max());
    }

    /// <summary>Value bounds as used in arithmetic: B enters as -1/+1, others as stored.</summary>
    private static (long Min, long Max) Bounds(TensorInfo t) => (t.Min, t.Max);
}
