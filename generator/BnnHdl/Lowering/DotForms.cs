using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The dot products the lowering expresses other operations as (docs/engine.md "Engine v2
/// modes"): every one runs in lane mode (channel c in, channel c out), with all-ones
/// unipolar weights, so the engine's AND-popcount datapath computes sums, maxima and copies.
/// </summary>
public static class DotForms
{
    /// <summary>Conv2d / Linear as they are: dense, or lane mode when every group is one channel in, one out.</summary>
    public static DotNode Convolution(Layer layer, TensorInfo input)
    {
        int ic = input.Shape.C;
        var (geometry, weights, hasBias) = layer.Op switch
        {
            Conv2dOp c => (new DotGeometry(c.Kernel, c.Stride, c.Pad, c.Dilation,
                c.Groups.Resolve(ic, c.OutChannels).ToEquatableArray(), c.PadValue), c.Weights, c.HasBias),
            LinearOp l => (new DotGeometry(1, 1, Padding.None, 1,
                EquatableArray.From(new GroupRange(0, ic, 0, l.OutFeatures)), 0), l.Weights, l.HasBias),
            _ => throw new InvalidOperationException($"layer '{layer.Name}' is not a dot product"),
        };
        var bias = hasBias ? layer.Params.Bias : new int[layer.Output.Shape.C].ToEquatableArray();
        bool depthwise = geometry.Groups.All(g => g.InCount == 1 && g.OutEnd - g.OutStart == 1 && g.InStart == g.OutStart);
        return new DotNode(layer.Name, layer.Op.OpName, input, layer.Output, geometry, weights, layer.Params.Weights, bias,
            depthwise ? DotMode.Lane : DotMode.Dense);
    }

    /// <summary>
    /// A Conv2d over the network input's windows (<see cref="InputWindows"/>): a 1 x 1 over
    /// C x KH x KW channels, one group, the layer's weights in their own order.
    /// </summary>
    public static DotNode OverWindows(Layer layer, TensorInfo windows)
    {
        var c = (Conv2dOp)layer.Op;
        var geometry = new DotGeometry(1, 1, Padding.None, 1,
            EquatableArray.From(new GroupRange(0, windows.Shape.C, 0, c.OutChannels)), 0);
        var bias = c.HasBias ? layer.Params.Bias : new int[layer.Output.Shape.C].ToEquatableArray();
        return new DotNode(layer.Name, layer.Op.OpName, windows, layer.Output, geometry, c.Weights, layer.Params.Weights, bias,
            Windows: new InputWindows(c.Kernel, c.Stride, c.Pad, c.Dilation, c.PadValue));
    }

    /// <summary>
    /// SumPool2d / MaxPool2d: a depthwise window of ones (max: the maximum over the inside
    /// taps; the sum of a padded B input: its bits over the inside taps, counted as +-1).
    /// </summary>
    public static DotNode Pool(Layer layer, Pool2dOp op, TensorInfo input)
    {
        bool bipolarSum = !op.IsMax && input.Type.IsBipolar && !op.Pad.IsNone;
        return Ones(layer.Name, layer.Op.OpName, input, layer.Output, op.Kernel, op.Stride, op.Pad,
            op.IsMax ? DotMode.LaneMax : bipolarSum ? DotMode.LaneBipolarSum : DotMode.Lane, readsBits: op.IsMax || bipolarSum);
    }

    /// <summary>GlobalSumPool: one window covering the whole map.</summary>
    public static DotNode GlobalSum(Layer layer, TensorInfo input) =>
        Ones(layer.Name, layer.Op.OpName, input, layer.Output, new Pair(input.Shape.H, input.Shape.W), 1, Padding.None, DotMode.Lane, false);

    /// <summary>AdaptiveSumPool: one program word per bin, whose window is the bin (PyTorch's bin rule).</summary>
    public static DotNode AdaptiveSum(Layer layer, AdaptiveSumPoolOp op, TensorInfo input)
    {
        var parts = new List<DotPart>();
        for (int by = 0; by < op.Bins.Y; by++)
            for (int bx = 0; bx < op.Bins.X; bx++)
            {
                var (y0, y1) = ShapeInference.AdaptiveBin(by, input.Shape.H, op.Bins.Y);
                var (x0, x1) = ShapeInference.AdaptiveBin(bx, input.Shape.W, op.Bins.X);
                parts.Add(new DotPart(new Pair(y1 - y0, x1 - x0), 1, Padding.None,
                    new Window(y0, x0, y1 - y0, x1 - x0), new OutGrid(by, bx, 1, 1, 1, 1)));
            }
        var kernel = new Pair(parts.Max(p => p.Kernel.Y), parts.Max(p => p.Kernel.X));
        return Ones(layer.Name, layer.Op.OpName, input, layer.Output, kernel, 1, Padding.None, DotMode.Lane, false)
            with { Parts = parts.ToEquatableArray() };
    }

    /// <summary>UpsampleNearest by (fy, fx): one copy per output phase (a, b), writing positions (fy*y + a, fx*x + b).</summary>
    public static DotNode Upsample(Layer layer, UpsampleNearestOp op, TensorInfo input)
    {
        var parts = new List<DotPart>();
        for (int a = 0; a < op.Factor.Y; a++)
            for (int b = 0; b < op.Factor.X; b++)
                parts.Add(new DotPart(1, 1, Padding.None, new Window(0, 0, input.Shape.H, input.Shape.W),
                    new OutGrid(a, b, op.Factor.Y, op.Factor.X, input.Shape.H, input.Shape.W)));
        return Copy(layer.Name, layer.Op.OpName, input, layer.Output, readsBits: true) with { Parts = parts.ToEquatableArray() };
    }

    /// <summary>
    /// The identity 1 x 1 that brings a stored tensor into the accumulators, for a standalone
    /// threshold, Add or Mul: acc = x (a B input as -1 / +1, unless <paramref name="readsBits"/>).
    /// </summary>
    public static DotNode Copy(string name, string sourceOp, TensorInfo input, TensorInfo? output = null, bool readsBits = false)
    {
        long min = readsBits && input.Type.IsBipolar ? 0 : input.Min;
        var acc = output ?? TensorInfo.Signed(name + ".acc", input.Shape, min, input.Max);
        return Ones(name, sourceOp, input, acc, 1, 1, Padding.None, DotMode.Lane, readsBits);
    }

    /// <summary>
    /// An act x act product in its engine form: lane mode over <paramref name="rows"/> (channel
    /// n, position k; the taps are all its positions, the window never moves), the other
    /// operand broadcast element by element.
    /// </summary>
    public static DotNode Product(string name, TensorInfo rows, Broadcast other, TensorInfo output) =>
        Ones(name, "ActMatMul", rows, output, new Pair(rows.Shape.H, rows.Shape.W), 1, Padding.None, DotMode.Lane, false)
            with { Broadcast = other };

    private static DotNode Ones(string name, string sourceOp, TensorInfo input, TensorInfo output,
        Pair kernel, Pair stride, Padding pad, DotMode mode, bool readsBits)
    {
        int c = input.Shape.C;
        var groups = Enumerable.Range(0, c).Select(k => new GroupRange(k, k + 1, k, k + 1)).ToEquatableArray();
        return new DotNode(name, sourceOp, input, output, new DotGeometry(kernel, stride, pad, 1, groups, 0),
            WeightType.Unipolar, EquatableArray<sbyte>.Empty, new int[c].ToEquatableArray(), mode, readsBits);
    }
}
