using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// The pooling operations of SPEC 3.6. Padded positions never take part: a window sums or
/// maximizes over the input positions it actually covers.
/// </summary>
internal static class Pooling
{
    public static TensorData Pool2d(Layer layer, Pool2dOp op, TensorData x)
    {
        var (inS, outS) = (x.Shape, layer.Output.Shape);
        var values = x.Span;
        var result = new long[outS.Size];
        for (int c = 0; c < outS.C; c++)
            for (int oy = 0; oy < outS.H; oy++)
            {
                int y0 = oy * op.Stride.Y - op.Pad.Top;
                int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + op.Kernel.Y, inS.H);
                for (int ox = 0; ox < outS.W; ox++)
                {
                    int x0 = ox * op.Stride.X - op.Pad.Left;
                    int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + op.Kernel.X, inS.W);
                    long acc = op.IsMax ? long.MinValue : 0;
                    for (int y = yStart; y < yEnd; y++)
                        for (int xx = xStart; xx < xEnd; xx++)
                        {
                            long v = values[LayerOutput.Index(inS, c, y, xx)];
                            acc = op.IsMax ? Math.Max(acc, v) : acc + v;
                        }
                    result[LayerOutput.Index(outS, c, oy, ox)] = acc;
                }
            }
        return LayerOutput.Create(layer, result);
    }

    public static TensorData GlobalSum(Layer layer, TensorData x)
    {
        var values = x.Span;
        int positions = x.Shape.Positions;
        var result = new long[x.Shape.C];
        for (int c = 0; c < result.Length; c++)
        {
            long sum = 0;
            foreach (long v in values.Slice(c * positions, positions)) sum += v;
            result[c] = sum;
        }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>Sums over PyTorch's adaptive bins, which may overlap when the size does not divide.</summary>
    public static TensorData AdaptiveSum(Layer layer, AdaptiveSumPoolOp op, TensorData x)
    {
        var (inS, outS) = (x.Shape, layer.Output.Shape);
        var values = x.Span;
        var result = new long[outS.Size];
        for (int c = 0; c < outS.C; c++)
            for (int by = 0; by < op.Bins.Y; by++)
            {
                var (y0, y1) = ShapeInference.AdaptiveBin(by, inS.H, op.Bins.Y);
                for (int bx = 0; bx < op.Bins.X; bx++)
                {
                    var (x0, x1) = ShapeInference.AdaptiveBin(bx, inS.W, op.Bins.X);
                    long sum = 0;
                    for (int y = y0; y < y1; y++)
                        for (int xx = x0; xx < x1; xx++) sum += values[LayerOutput.Index(inS, c, y, xx)];
                    result[LayerOutput.Index(outS, c, by, bx)] = sum;
                }
            }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>out[c] = max over in[c*G .. c*G + G - 1] (for B: OR of the stored bits).</summary>
    public static TensorData CrossChannelMax(Layer layer, CrossChannelMaxPoolOp op, TensorData x)
    {
        var values = x.Span;
        int positions = x.Shape.Positions;
        var result = new long[layer.Output.Shape.Size];
        for (int c = 0; c < layer.Output.Shape.C; c++)
            for (int p = 0; p < positions; p++)
            {
                long max = long.MinValue;
                for (int g = 0; g < op.Group; g++) max = Math.Max(max, values[(c * op.Group + g) * positions + p]);
                result[c * positions + p] = max;
            }
        return LayerOutput.Create(layer, result);
    }
}
