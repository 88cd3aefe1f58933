using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>The window geometry of a convolution; Linear is the 1x1, single-group case.</summary>
internal sealed record ConvGeometry(
    int OutChannels, Pair Kernel, Pair Stride, Padding Pad, Pair Dilation, IReadOnlyList<GroupRange> Groups, int PadValue)
{
    public static ConvGeometry Of(Conv2dOp op, int inChannels) =>
        new(op.OutChannels, op.Kernel, op.Stride, op.Pad, op.Dilation, op.Groups.Resolve(inChannels, op.OutChannels), op.PadValue);

    public static ConvGeometry Of(LinearOp op, int inChannels) =>
        new(op.OutFeatures, Pair.Of(1), Pair.Of(1), Padding.None, Pair.Of(1), [new GroupRange(0, inChannels, 0, op.OutFeatures)], 0);

    public int Taps => Kernel.Y * Kernel.X;
}

/// <summary>
/// Conv2d and Linear (SPEC 3.1, 3.2) on bit-packed data, as the hardware computes them: for
/// each output position the receptive field of one group is gathered into packed bit-planes
/// (padding included, as its pad value's stored bits), and every output channel of the
/// group is an AND + popcount against its packed weight row, combined by the SPEC section 2
/// algebra. No two operand values are ever multiplied.
/// </summary>
internal static class Convolution
{
    public static TensorData Conv2d(Layer layer, Conv2dOp op, TensorData x) =>
        Run(layer, x, ConvGeometry.Of(op, x.Shape.C), op.Weights, op.HasBias);

    public static TensorData Linear(Layer layer, LinearOp op, TensorData x) =>
        Run(layer, x, ConvGeometry.Of(op, x.Shape.C), op.Weights, op.HasBias);

    private static TensorData Run(Layer layer, TensorData x, ConvGeometry geo, WeightType weightType, bool hasBias)
    {
        var inCode = OperandCode.For(x.Type);
        var algebra = new DotAlgebra(inCode, OperandCode.For(weightType));
        byte[] stored = inCode.StoredAll(x.Span);
        // U(k) pads with 0; B pads with +1 (stored 1) or -1 (stored 0).
        uint padStored = x.Type.IsBipolar && geo.PadValue > 0 ? 1u : 0u;
        var weightOffsets = WeightOffsets(geo);
        var outShape = layer.Output.Shape;
        var result = new long[outShape.Size];
        var bias = hasBias ? layer.Params.Bias.AsSpan().ToArray() : new int[geo.OutChannels];

        foreach (var group in geo.Groups)
        {
            var window = new WindowTable(group, geo, x.Shape);
            var weights = PackedWeights.Pack(layer.Params.Weights.AsSpan(), weightOffsets, group, window.Terms, algebra.W);
            var job = new GroupJob(stored, x.Shape, inCode.Planes, padStored, window, weights, algebra, bias, group, geo, outShape, result);
            // Output rows are independent; each worker packs into its own buffer, so the
            // result does not depend on scheduling.
            if ((long)outShape.Positions * group.OutCount * window.Terms > 1 << 16)
                Parallel.For(0, outShape.H, () => job.NewBuffer(), (oy, _, buffer) => { job.Row(oy, buffer); return buffer; }, _ => { });
            else
            {
                var buffer = job.NewBuffer();
                for (int oy = 0; oy < outShape.H; oy++) job.Row(oy, buffer);
            }
        }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>Start of each output channel's weights: [oc][i][ky][kx], i over its own group's inputs.</summary>
    private static int[] WeightOffsets(ConvGeometry geo)
    {
        var inCountOf = new int[geo.OutChannels];
        foreach (var g in geo.Groups)
            for (int o = g.OutStart; o < g.OutEnd; o++) inCountOf[o] = g.InCount;
        var offsets = new int[geo.OutChannels];
        for (int o = 1; o < geo.OutChannels; o++) offsets[o] = offsets[o - 1] + inCountOf[o - 1] * geo.Taps;
        return offsets;
    }

    /// <summary>One group's work over all output positions.</summary>
    private sealed class GroupJob(
        byte[] stored, Shape inShape, int planes, uint padStored, WindowTable window, PackedWeights weights,
        DotAlgebra algebra, int[] bias, GroupRange group, ConvGeometry geo, Shape outShape, long[] result)
    {
        public ulong[] NewBuffer() => new ulong[planes * weights.Words];

        public void Row(int oy, ulong[] act)
        {
            int words = weights.Words, terms = window.Terms;
            int y0 = oy * geo.Stride.Y - geo.Pad.Top;
            for (int ox = 0; ox < outShape.W; ox++)
            {
                int x0 = ox * geo.Stride.X - geo.Pad.Left;
                Array.Clear(act);
                window.Gather(stored, inShape, y0, x0, padStored, act, words, planes);
                // The activation-only term is shared by every output channel of the window.
                long sumA = BitPlanes.PlaneSum(act, words, planes);
                for (int o = group.OutStart; o < group.OutEnd; o++)
                {
                    int row = o - group.OutStart;
                    long cross = BitPlanes.Cross(act, planes, weights.Row(row), weights.Planes, words);
                    long acc = algebra.Combine(cross, sumA, weights.RowSums[row], terms);
                    result[LayerOutput.Index(outShape, o, oy, ox)] = acc + bias[o];
                }
            }
        }
    }
}
