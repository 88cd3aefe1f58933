using BnnHdl.Network;
using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Network;

public class NetworkBuilderTests
{
    [Fact]
    public void Conv_output_size_follows_the_spec_formula()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(4, 17, 23);
        // OH = floor((H + pt + pb - dy*(KH-1) - 1) / sy) + 1
        var y = b.Conv2d(x, 8, new Pair(3, 5), stride: new Pair(2, 3), pad: new Padding(1, 2, 0, 1), dilation: new Pair(2, 1));
        Assert.Equal(new Shape(8, 7, 8), y.Shape); // (17+1+0-2*2-1)/2+1 = 7, (23+2+1-1*4-1)/3+1 = 8
    }

    [Fact]
    public void Accumulator_width_is_the_smallest_that_holds_the_operand_bounds()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(3, 8, 8);                                  // U8: 0..255
        var acc = b.Conv2d(x, 4, 3, pad: 1);                        // 27 terms x [-255, 255]
        Assert.Equal((-6885L, 6885L), (acc.Min, acc.Max));
        Assert.Equal(DataType.I(14), acc.Type);                     // I14 holds -8192..8191

        var q = b.MultiThreshold(acc, DataType.B);
        var bin = b.Conv2d(q, 16, 3, pad: 1, padValue: -1);         // 36 terms of +-1 x +-1
        Assert.Equal((-36L, 36L), (bin.Min, bin.Max));
        Assert.Equal(DataType.I(7), bin.Type);

        var u2 = b.MultiThreshold(bin, DataType.U(2));
        var uni = b.Conv2d(u2, 2, 1, weights: WeightType.Unipolar); // 16 terms x [0, 3]
        Assert.Equal((0L, 48L), (uni.Min, uni.Max));
        Assert.Equal(DataType.I(7), uni.Type);
    }

    [Fact]
    public void Bias_moves_the_bounds()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(2, 4, 4, DataType.B);
        var y = b.Linear(x, 2, bias: true, parameters: LayerParams.Conv([1, -1, 1, 1], [100, -3]));
        Assert.Equal((-5L, 102L), (y.Min, y.Max));
        Assert.Equal(DataType.I(8), y.Type);
    }

    [Fact]
    public void Elementwise_and_pooling_types_follow_the_spec()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(4, 6, 6, DataType.U(2));
        var s = b.SumPool2d(x, 3, stride: 1, pad: 1);                // windows hold 4..9 values of 0..3
        Assert.Equal((0L, 27L, DataType.I(6)), (s.Min, s.Max, s.Type));
        var add = b.Add(x, s, shiftA: 2);                           // (x << 2) + s
        Assert.Equal((0L, 39L, DataType.I(7)), (add.Min, add.Max, add.Type));
        var gate = b.Input(4, 6, 6, DataType.U(1), name: "bad-second-input");
        Assert.Equal(0, gate.Shape.C);                              // rejected: one input per network
        var g1 = b.MultiThreshold(s, DataType.U(1));
        Assert.Equal(DataType.U(2), b.Mul(g1, x).Type);             // AND keeps an unsigned type
        var gb = b.MultiThreshold(s, DataType.B);
        var neg = b.Mul(gb, x);                                     // conditional negate
        Assert.Equal((-3L, 3L, DataType.I(3)), (neg.Min, neg.Max, neg.Type));
        Assert.Equal(new Shape(4, 3, 2), b.AdaptiveSumPool(x, new Pair(3, 2)).Shape);
        Assert.Equal(new Shape(2, 6, 6), b.CrossChannelMaxPool(x, 2).Shape);
        Assert.Equal(new Shape(6, 6, 6), b.CoordChannels(x, 2).Shape);
        Assert.Equal(new Shape(8, 12, 18), b.UpsampleNearest(b.Concat([x, x]), new Pair(2, 3)).Shape);
    }

    [Fact]
    public void ActMatMul_views_tensors_as_channel_by_position_matrices()
    {
        var b = new NetworkBuilder("t");
        var iam = b.Input(5, 4, 4, DataType.U(2));                  // N=5 maps over 16 positions
        var feat = b.Conv2d(iam, 7, 1);
        var featQ = b.MultiThreshold(feat, DataType.B);            // D=7 features over 16 positions
        var agg = b.ActMatMul(featQ, iam, transposeB: true);       // [7][16] x [16][5] -> 7 x 1 x 5
        Assert.Equal(new Shape(7, 1, 5), agg.Shape);
        Assert.Equal((-48L, 48L), (agg.Min, agg.Max));
        var masks = b.ActMatMul(featQ, featQ, transposeA: true, outHeight: 4, outWidth: 4); // [16][7] x [7][16]
        Assert.Equal(new Shape(16, 4, 4), masks.Shape);
    }

    [Fact]
    public void Every_problem_is_reported_together_naming_its_layer()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(6, 5, 5);
        b.Conv2d(x, 4, 7, name: "too_big");
        var y = b.Conv2d(x, 4, 3, groups: 4, name: "groups");
        b.Conv2d(b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c"), DataType.B, name: "cq"), 4, 3, pad: 1, padValue: 0, name: "zero_pad");
        b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(x, 6, 1, name: "d"), DataType.U(2), name: "dq"), 4, name: "xcp");
        b.MultiThreshold(b.Conv2d(x, 2, 1, name: "e"), DataType.U(2), LayerParams.Threshold([5, 3], [1, 1]), name: "thr");
        b.Add(x, b.Conv2d(x, 6, 3, name: "f"), name: "sum");
        b.Conv2d(b.Conv2d(x, 2, 1, name: "g"), 2, 1, name: "on_acc");
        b.Conv2d(y, 2, 1, name: "after_bad");                       // fed by a failed layer: not reported again
        var e = Assert.Throws<ValidationException>(() => b.Build());
        Assert.Equal(
        [
            "layer 'too_big' (Conv2d): kernel height 7 is larger than the padded input height 5",
            "layer 'too_big' (Conv2d): kernel width 7 is larger than the padded input width 5",
            "layer 'groups' (Conv2d): groups 4 does not divide the 6 input channels",
            "layer 'zero_pad' (Conv2d): zero padding of the bipolar input 'cq' is not representable; pad with +1 or -1",
            "layer 'xcp' (CrossChannelMaxPool): group 4 does not divide the 6 channels of 'dq'",
            "layer 'thr' (MultiThreshold): has 2 thresholds, expected 2 channels x 3",
            "layer 'sum' (Add): operand shapes differ: 'input' is 6x5x5, 'f' is 6x3x3",
            "layer 'on_acc' (Conv2d): input 'g' is I12; a convolution takes U(k) or B activations (requantize it with a MultiThreshold first)",
        ], e.Problems);
        Assert.StartsWith("network 'bad': 8 problems: layer 'too_big'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Thresholds_must_ascend_and_directions_be_signs()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(2, 3, 3);
        var acc = b.Conv2d(x, 2, 1, name: "c");
        b.MultiThreshold(acc, DataType.U(2), LayerParams.Threshold([1, 2, 2, 9, 4, 5], [1, 0]), name: "q");
        var e = Assert.Throws<ValidationException>(() => b.Build());
        Assert.Equal(
        [
            "layer 'q' (MultiThreshold): direction of channel 1 is 0; it must be +1 or -1",
            "layer 'q' (MultiThreshold): thresholds of channel 1 are not ascending: t[0] = 9 > t[1] = 4",
        ], e.Problems);
    }

    [Fact]
    public void Uneven_groups_must_cover_every_output_channel_once()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(5, 3, 3);
        b.Conv2d(x, 6, 1, unevenGroups: [new(0, 2, 0, 3), new(2, 6, 2, 5)], name: "ug");
        var e = Assert.Throws<ValidationException>(() => b.Build());
        Assert.Equal(
        [
            "layer 'ug' (Conv2d): group 2:6->2:5: input channels 2..6 must be a non-empty range within 0..5",
            "layer 'ug' (Conv2d): output channel 5 belongs to no group",
            "layer 'ug' (Conv2d): output channel 2 belongs to more than one group",
        ], e.Problems);
    }

    [Fact]
    public void Weights_are_checked_against_the_layer()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(2, 3, 3);
        b.Conv2d(x, 2, 1, weights: WeightType.Unipolar, parameters: LayerParams.Conv([0, 1, -1, 1]), name: "u");
        b.Conv2d(x, 2, 1, parameters: LayerParams.Conv([1, 1, 1]), name: "n");
        b.Conv2d(x, 1, 1, parameters: LayerParams.Conv([1, 1], [4]), name: "nb");
        var e = Assert.Throws<ValidationException>(() => b.Build());
        Assert.Equal(
        [
            "layer 'u' (Conv2d): weight 2 is -1; U1 weights are 0 or 1",
            "layer 'n' (Conv2d): has 3 weights, expected 4",
            "layer 'nb' (Conv2d): has bias values but was declared without a bias",
        ], e.Problems);
    }

    [Fact]
    public void The_network_name_must_be_usable_as_a_folder_name()
    {
        var b = new NetworkBuilder("../escape");
        b.Output(b.Conv2d(b.Input(1, 2, 2), 1, 1, name: "c"));
        var e = Assert.Throws<ValidationException>(() => b.Build());
        Assert.Equal("network '../escape': the network name '../escape' must use letters, digits, '_', '.' and '-' only (it names output folders)", e.Message);
    }

    [Fact]
    public void Dump_is_stable_text()
    {
        var b = new NetworkBuilder("dump");
        var x = b.Input(3, 8, 8);
        var c = b.Conv2d(x, 8, 3, stride: 2, pad: 1, name: "stem");
        var q = b.MultiThreshold(c, DataType.U(2), name: "stem.q");
        var d = b.DepthwiseConv2d(q, new Pair(1, 3), pad: new Padding(0, 1, 0, 1), name: "dw");
        var p = b.MaxPool2d(b.MultiThreshold(d, DataType.B, name: "dw.q"), 2, name: "pool");
        b.Output(p, c);
        Snapshot.Match(b.Build().Dump(), "dump.txt");
    }

    [Fact]
    public void Validate_rejects_a_graph_whose_stored_output_was_tampered_with()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(1, 4, 4);
        b.Output(b.Conv2d(x, 1, 3, name: "c"));
        var g = b.Build();
        Assert.Same(g, g.Validate());
        var layers = g.Layers.ToArray();
        layers[1] = layers[1] with { Output = layers[1].Output with { Type = DataType.I(32) } };
        var bad = g with { Layers = layers.ToEquatableArray() };
        var e = Assert.Throws<ValidationException>(() => bad.Validate());
        Assert.Equal("network 't': layer 'c': stored output 1x2x2 I32 [-2295, 2295] differs from the inferred 1x2x2 I13 [-2295, 2295]", e.Message);
    }

    [Fact]
    public void WithParams_reinfers_bounds_downstream()
    {
        var b = new NetworkBuilder("t");
        var x = b.Input(1, 2, 2, DataType.B);
        var c = b.Conv2d(x, 1, 1, bias: true, name: "c");
        var s = b.Add(c, c, name: "s");
        b.Output(s);
        var g = b.Build().WithParams(new Dictionary<string, LayerParams> { ["c"] = LayerParams.Conv([1], [1000]) });
        Assert.Equal((999L, 1001L), (g.Tensor("c").Min, g.Tensor("c").Max));
        Assert.Equal((1998L, 2002L, DataType.I(12)), (g.Tensor("s").Min, g.Tensor("s").Max, g.Tensor("s").Type));
        Assert.Equal(g, g.Validate());
        var e = Assert.Throws<ValidationException>(() => g.WithParams(new Dictionary<string, LayerParams> { ["nope"] = LayerParams.None }));
        Assert.Equal("network 't': parameters given for 'nope', which is not a layer", e.Message);
    }

    [Fact]
    public void Graphs_compare_structurally()
    {
        static Graph Make(sbyte w)
        {
            var b = new NetworkBuilder("t");
            b.Output(b.Conv2d(b.Input(1, 3, 3), 1, 1, parameters: LayerParams.Conv([w]), name: "c"));
            return b.Build();
        }
        Assert.Equal(Make(1), Make(1));
        Assert.NotEqual(Make(1), Make(-1));
    }
}
