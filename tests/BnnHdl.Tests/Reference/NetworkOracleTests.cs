using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Reference;

/// <summary>Whole small networks mixing the ops, as the zoo builds them, against the oracle layer by layer.</summary>
public sealed class NetworkOracleTests
{
    [Theory]
    [InlineData("U2")]
    [InlineData("U4")]
    [InlineData("B")]
    public void Inverted_residual_network_matches_the_oracle(string activation)
    {
        var act = DataType.Parse(activation);
        var r = SeededRandom.For(51, "mbv2 " + activation);
        var b = new NetworkBuilder("mini-mbv2");
        var x = b.Input(3, 16, 12);
        x = b.MultiThreshold(b.Conv2d(x, 8, 3, stride: 2, pad: 1, bias: true), act);
        foreach (var (expand, channels, stride) in new[] { (1, 8, 1), (4, 12, 2), (4, 12, 1) })
        {
            var h = expand == 1 ? x : b.MultiThreshold(b.Conv2d(x, x.Shape.C * expand, 1), act);
            h = b.MultiThreshold(b.DepthwiseConv2d(h, 3, stride, 1, bias: true), act);
            h = b.MultiThreshold(b.Conv2d(h, channels, 1), act);
            x = stride == 1 && x.Shape.C == channels ? b.MultiThreshold(b.Add(x, h), act) : h;
        }
        var pooled = b.MultiThreshold(b.GlobalSumPool(x), act);
        b.Output(b.Linear(pooled, 10, bias: true), x);
        CheckAgainstOracle(FillParameters(b.Build(), r), r, "mini MobileNetV2 " + activation);
    }

    [Fact]
    public void Segmentation_head_network_matches_the_oracle()
    {
        // SparseInst-like: coordinate channels, instance activation maps, act x act matmul with
        // the features, gating, cross-channel pooling, pyramid pooling, upsampling and concat.
        var r = SeededRandom.For(52, "head");
        var b = new NetworkBuilder("head");
        var x = b.Input(4, 12, 10);
        var f = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1), DataType.U(3));
        var condensed = b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(f, 16, 3, pad: 1), DataType.U(3)), 2);
        var withCoords = b.CoordChannels(condensed, 3);
        var maps = b.MultiThreshold(b.Conv2d(withCoords, 5, 3, pad: 2, dilation: 2, unevenGroups:
            [new GroupRange(0, 8, 0, 3), new GroupRange(6, 10, 3, 5)], bias: true), DataType.B);
        var instances = b.ActMatMul(maps, f, transposeB: true);
        var kernels = b.MultiThreshold(instances, DataType.U(2));
        var masks = b.ActMatMul(kernels, f, outHeight: 12, outWidth: 10);
        var gate = b.MultiThreshold(b.Conv2d(f, 5, 1), DataType.U(1));
        var gated = b.Mul(gate, masks);
        var pyramid = b.UpsampleNearest(b.MultiThreshold(b.AdaptiveSumPool(f, new Pair(3, 5)), DataType.U(3)), new Pair(4, 2));
        var merged = b.Concat([f, pyramid]);
        var pooled = b.SumPool2d(b.MaxPool2d(merged, 2, 1, new Padding(1, 0, 0, 1)), new Pair(3, 2), 2, new Padding(1, 1, 0, 0));
        b.Output(gated, pooled);
        CheckAgainstOracle(FillParameters(b.Build(), r), r, "segmentation head");
    }
}
