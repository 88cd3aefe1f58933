using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>The shape operations of SPEC 3.7: pure data movement plus the coordinate channels.</summary>
internal static class ShapeOps
{
    /// <summary>out[c, y, x] = in[c, y / fy, x / fx].</summary>
    public static TensorData UpsampleNearest(Layer layer, UpsampleNearestOp op, TensorData x)
    {
        var (inS, outS) = (x.Shape, layer.Output.Shape);
        var values = x.Span;
        var result = new long[outS.Size];
        for (int c = 0; c < outS.C; c++)
            for (int y = 0; y < outS.H; y++)
                for (int xx = 0; xx < outS.W; xx++)
                    result[LayerOutput.Index(outS, c, y, xx)] = values[LayerOutput.Index(inS, c, y / op.Factor.Y, xx / op.Factor.X)];
        return LayerOutput.Create(layer, result);
    }

    /// <summary>Channels of the operands one after another, in input order.</summary>
    public static TensorData Concat(Layer layer, IReadOnlyList<TensorData> inputs)
    {
        var result = new long[layer.Output.Shape.Size];
        int at = 0;
        foreach (var t in inputs)
        {
            t.Span.CopyTo(result.AsSpan(at));
            at += t.Span.Length;
        }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>Appends the x channel, then the y channel, each a U(k) coordinate ramp.</summary>
    public static TensorData CoordChannels(Layer layer, CoordChannelsOp op, TensorData x)
    {
        var (inS, outS) = (x.Shape, layer.Output.Shape);
        var result = new long[outS.Size];
        x.Span.CopyTo(result);
        for (int y = 0; y < inS.H; y++)
            for (int xx = 0; xx < inS.W; xx++)
            {
                result[LayerOutput.Index(outS, inS.C, y, xx)] = Coordinate(xx, inS.W, op.Bits);
                result[LayerOutput.Index(outS, inS.C + 1, y, xx)] = Coordinate(y, inS.H, op.Bits);
            }
        return LayerOutput.Create(layer, result);
    }

    /// <summary>floor((2 i (2^k - 1) + (n - 1)) / (2 (n - 1))): i / (n - 1) scaled to 2^k - 1, rounded half up.</summary>
    public static long Coordinate(int i, int n, int bits)
    {
        if (n == 1) return 0;
        long levels = (1L << bits) - 1;
        return (2L * i * levels + (n - 1)) / (2L * (n - 1));
    }
}
