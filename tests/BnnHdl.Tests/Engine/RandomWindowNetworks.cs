using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random lane-mode layers that the window can take (docs/engine.md "Window"):
/// stride-1 depthwise convolutions with window rows of 2 to 21 taps (strips and KxK, rows
/// narrower than the window, uneven padding of either value, vertical dilation), vertical
/// strips of 2 to 21 taps (the vertical walk), stride-1 sum pools, and a residual Add of the
/// input when the shapes agree. Shared by the simulator
/// and the RTL tests.
/// </summary>
internal static class RandomWindowNetworks
{
    public static (Graph Graph, TensorData Input, string Description) Build(int index)
    {
        var r = SeededRandom.For(7000 + index, "engine window case");
        var b = new NetworkBuilder("window");
        // U inputs up to 3 planes (the window reads (G + KW - 2) K + 1 words), B with +-1 padding.
        var type = Pick(r, DataType.B, DataType.U(1), DataType.U(2), DataType.U(3));
        // One case in three a vertical strip (walked down its columns), on a tall map.
        bool vertical = Between(r, 0, 2) == 0;
        var x = vertical ? b.Input(Between(r, 1, 12), Between(r, 2, 14), Between(r, 1, 5), type)
                         : b.Input(Between(r, 1, 12), Between(r, 1, 5), Between(r, 2, 14), type);
        int kw = Pick(r, 2, 3, 5, 7, 11, 21), kh = Pick(r, 1, 1, 2, 3, 5);
        if (vertical) (kh, kw) = (kw, 1);
        bool pool = !type.IsBipolar && Between(r, 0, 3) == 0;
        int dy = kh > 1 && !pool && !vertical ? Between(r, 1, 2) : 1;
        // Uneven padding, enough for at least one output position in each direction.
        int pl = Between(r, 0, kw - 1), pr = Math.Max(Between(r, 0, kw - 1), kw - x.Shape.W - pl);
        if (vertical) (pl, pr) = pool ? (0, 0) : (Between(r, 0, 1), Between(r, 0, 1));
        int spanY = (kh - 1) * dy + 1;
        int pt = Between(r, 0, spanY - 1), pb = Math.Max(Between(r, 0, spanY - 1), spanY - x.Shape.H - pt);
        var pad = new Padding(pt, pl, pb, pr);
        var kernel = new Pair(kh, kw);
        int? pv = type.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
        var layer = pool
            ? b.SumPool2d(x, kernel, 1, pad)
            : b.DepthwiseConv2d(x, kernel, 1, pad, new Pair(dy, 1),
                weights: r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar, padValue: pv, bias: r.NextBool());
        bool residual = layer.Shape == x.Shape && !pool && r.NextBool();
        if (residual) layer = b.Add(layer, x, 0, Between(r, 0, 1));
        b.Output(r.NextBool() ? layer : b.MultiThreshold(layer, Pick(r, DataType.B, DataType.U(1), DataType.U(2))));
        var g = FillParameters(b.Build(), r);
        string what = pool ? "sum pool" : residual ? "depthwise + residual" : "depthwise";
        return (g, Tensor(r, x.Shape, x.Type),
            $"{what} {kh}x{kw} d={dy}x1 pad={pt},{pl},{pb},{pr} on {x.Shape.C}x{x.Shape.H}x{x.Shape.W} {x.Type}");
    }
}
