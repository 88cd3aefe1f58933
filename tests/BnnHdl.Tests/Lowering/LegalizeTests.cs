using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Lowering;

public sealed class LegalizeTests
{
    private static readonly EngineConfig Config = new(4, 8);

    [Fact]
    public void Reports_every_unsupported_layer_in_one_exception()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(4, 8, 8);
        var t1 = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "c1"), DataType.B, name: "t1");
        // Padded positions of a sum pool do not take part: a B input's bits are summed and the
        // window's inside taps subtracted (inside_count), so this runs.
        var pooled = b.SumPool2d(t1, 3, 1, 1, name: "pool");
        // The write-back pools 2 or 4 channels.
        var oct = b.CrossChannelMaxPool(t1, 8, name: "oct");
        var three = b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(x, 6, 1, name: "c3"), DataType.B, name: "t3"), 3, name: "three");
        // Concats and coordinate channels run as views, act x act products in lane mode.
        var cat = b.Concat([t1, t1], name: "cat");
        var coord = b.CoordChannels(b.MultiThreshold(b.Conv2d(cat, 4, 1, name: "c2"), DataType.U(2), name: "t2"), 2, name: "coord");
        var mm = b.ActMatMul(t1, t1, transposeB: true, name: "mm");
        b.Output(pooled, coord, mm, oct, three);
        var g = FillParameters(b.Build(), SeededRandom.For(1, "bad"));

        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, Config));
        Assert.Equal(
        [
            "layer 'oct' (CrossChannelMaxPool): group G=8 is not supported by the engine (it pools 2 or 4 channels)",
            "layer 'three' (CrossChannelMaxPool): group G=3 is not supported by the engine (it pools 2 or 4 channels)",
        ], e.Problems);
        Assert.StartsWith("network 'bad': 2 problems: layer 'oct' (CrossChannelMaxPool): group G=8", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_parameters_and_too_many_activation_bits_are_named()
    {
        var b = new NetworkBuilder("wide");
        var x = b.Input(3, 4, 4);
        var a = b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c1"), DataType.U(6), name: "t1");
        b.Output(b.Linear(a, 2, name: "fc"));
        var g = b.Build();
        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, new EngineConfig(4, 8, maxActivationBits: 4)));
        Assert.Equal(
        [
            "layer 'c1' (Conv2d): parameters are missing (load weights or fill them with a seed)",
            "layer 't1' (MultiThreshold): parameters are missing (load weights or fill them with a seed)",
            "layer 'fc' (Linear): parameters are missing (load weights or fill them with a seed)",
        ], e.Problems);

        var filled = FillParameters(g, SeededRandom.For(2, "wide"));
        e = Assert.Throws<ValidationException>(() => Legalize.Run(filled, new EngineConfig(4, 8, maxActivationBits: 4)));
        Assert.Equal(
        [
            "layer 'c1' (Conv2d): input U8 has more bits than the engine's maximum of 4 activation bits",
            "layer 't1' (MultiThreshold): output U6 has more bits than the engine's maximum of 4 activation bits",
            "layer 'fc' (Linear): input U6 has more bits than the engine's maximum of 4 activation bits",
        ], e.Problems);
        Assert.Equal(3, Legalize.Run(filled, Config).Nodes.Count);
    }

    [Fact]
    public void Pools_and_upsampling_become_lane_mode_dot_products_of_ones()
    {
        var b = new NetworkBuilder("pools");
        var x = b.Input(3, 6, 6);
        var max = b.MaxPool2d(x, 3, 2, 1, name: "max");
        var up = b.UpsampleNearest(max, 2, name: "up");
        b.Output(b.AdaptiveSumPool(up, 2, name: "ppm"), b.GlobalSumPool(x, name: "gsum"));
        var legal = Legalize.Run(b.Build(), Config);
        Assert.Equal(string.Join("\n",
        [
            "max = MaxPool2d(input: 3x6x6 U8) kernel=3x3 stride=2x2 pad=1,1,1,1 dilation=1x1 pad_value=0 groups=[0:1->0:1 1:2->1:2 2:3->2:3] weights=ones mode=lanemax -> 3x3x3 U8 [0, 255] {weights=0 bias=3}",
            "up = UpsampleNearest(max: 3x3x3 U8) kernel=1x1 stride=1x1 pad=0,0,0,0 dilation=1x1 pad_value=0 groups=[0:1->0:1 1:2->1:2 2:3->2:3] weights=ones mode=lane -> 3x6x6 U8 [0, 255] {weights=0 bias=3} "
                + "part(kernel=1x1 stride=1x1 pad=0,0,0,0 in=[0,0 3x3] out=[0,0 step 2,2 3x3]) part(kernel=1x1 stride=1x1 pad=0,0,0,0 in=[0,0 3x3] out=[0,1 step 2,2 3x3]) "
                + "part(kernel=1x1 stride=1x1 pad=0,0,0,0 in=[0,0 3x3] out=[1,0 step 2,2 3x3]) part(kernel=1x1 stride=1x1 pad=0,0,0,0 in=[0,0 3x3] out=[1,1 step 2,2 3x3])",
            "ppm = AdaptiveSumPool(up: 3x6x6 U8) kernel=3x3 stride=1x1 pad=0,0,0,0 dilation=1x1 pad_value=0 groups=[0:1->0:1 1:2->1:2 2:3->2:3] weights=ones mode=lane -> 3x2x2 I13 [0, 2295] {weights=0 bias=3} "
                + "part(kernel=3x3 stride=1x1 pad=0,0,0,0 in=[0,0 3x3] out=[0,0 step 1,1 1x1]) part(kernel=3x3 stride=1x1 pad=0,0,0,0 in=[0,3 3x3] out=[0,1 step 1,1 1x1]) "
                + "part(kernel=3x3 stride=1x1 pad=0,0,0,0 in=[3,0 3x3] out=[1,0 step 1,1 1x1]) part(kernel=3x3 stride=1x1 pad=0,0,0,0 in=[3,3 3x3] out=[1,1 step 1,1 1x1])",
            "gsum = GlobalSumPool(input: 3x6x6 U8) kernel=6x6 stride=1x1 pad=0,0,0,0 dilation=1x1 pad_value=0 groups=[0:1->0:1 1:2->1:2 2:3->2:3] weights=ones mode=lane -> 3x1x1 I15 [0, 9180] {weights=0 bias=3}",
        ]), string.Join("\n", legal.Nodes.Select(n => n.Dump())));
    }

    [Fact]
    public void Linear_becomes_a_one_by_one_conv_and_groups_are_explicit()
    {
        var b = new NetworkBuilder("norm");
        var x = b.Input(6, 2, 2, DataType.B);
        var c = b.MultiThreshold(b.Conv2d(x, 4, 3, pad: 1, groups: 2, padValue: -1, name: "c"), DataType.U(1), name: "t");
        b.Output(b.Linear(c, 3, name: "fc"));
        var legal = Legalize.Run(FillParameters(b.Build(), SeededRandom.For(3, "norm")), Config);
        var conv = Assert.IsType<DotNode>(legal.Nodes[0]);
        Assert.Equal([new GroupRange(0, 3, 0, 2), new GroupRange(3, 6, 2, 4)], conv.Geometry.Groups);
        Assert.Equal(-1, conv.Geometry.PadValue);
        Assert.Equal([0, 0, 0, 0], conv.Bias);
        var fc = Assert.IsType<DotNode>(legal.Nodes[2]);
        Assert.Equal(new DotGeometry(1, 1, Padding.None, 1, EquatableArray.From(new GroupRange(0, 4, 0, 3)), 0), fc.Geometry);
        Assert.Equal("Linear", fc.SourceOp);
    }

    /// <summary>
    /// Cross-channel pools that cannot ride on their threshold's write-back (the thresholded
    /// values are stored because something else reads them, or the input is no threshold):
    /// each becomes a copy pass of the stored tensor, requantized to itself (thresholds 1 .. n)
    /// and pooled at write-back; the network runs bit-exact in the engine simulator.
    /// </summary>
    internal static Graph StandalonePools()
    {
        var b = new NetworkBuilder("xcp-stored");
        var x = b.Input(4, 4, 4);
        var t1 = b.MultiThreshold(b.Conv2d(x, 8, 1, name: "c1"), DataType.U(2), name: "t1");
        // t1 feeds the pool and c2: the thresholded values must be stored, so no fusion.
        var p1 = b.CrossChannelMaxPool(t1, 2, name: "p1");
        var t2 = b.MultiThreshold(b.Conv2d(t1, 8, 1, name: "c2"), DataType.B, name: "t2");
        // A pool of a pool: its input is no threshold.
        var p2 = b.CrossChannelMaxPool(b.CrossChannelMaxPool(t2, 2, name: "p2a"), 2, name: "p2b");
        // t3 is a network output as well as the pool's input.
        var t3 = b.MultiThreshold(b.Conv2d(p1, 8, 1, name: "c3"), DataType.B, name: "t3");
        b.Output(p2, t3, b.CrossChannelMaxPool(t3, 4, name: "p3"));
        return FillParameters(b.Build(), SeededRandom.For(4, "xcp-bad"));
    }

    [Fact]
    public void A_cross_channel_pool_of_a_stored_tensor_runs_as_a_requantizing_copy()
    {
        var g = StandalonePools();
        var legal = Legalize.Run(g, Config);
        // p1, p2b (its input is p2a's pooled output) and p3 are copies; p2a rides on c2's write-back.
        Assert.Contains(legal.Nodes.OfType<PoolNode>(), p => p.Name == "p2a" && p.In.Name == "t2");
        foreach (string pool in new[] { "p1", "p2b", "p3" })
        {
            var copy = Assert.Single(legal.Nodes.OfType<DotNode>(), d => d.Name == pool);
            Assert.Equal("CrossChannelMaxPool", copy.SourceOp);
            var q = Assert.Single(legal.Nodes.OfType<ThresholdNode>(), t => t.In == copy.Out);
            Assert.Equal(g.Tensor(g[pool].Inputs[0]).Type, q.Out.Type);
            Assert.Single(legal.Nodes.OfType<PoolNode>(), p => p.Name == pool && p.In == q.Out);
        }
        var input = BnnHdl.Tests.Reference.RandomCases.Tensor(SeededRandom.For(7, "xcp-stored input"), g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in new[] { Config, new EngineConfig(16, 32) })
            BnnHdl.Tests.Engine.EngineCheck.AgainstReference(g, config, input, "xcp-stored");
    }

    [Fact]
    public void A_cross_channel_pool_group_must_divide_P_and_fit_the_convolution_groups()
    {
        var b = new NetworkBuilder("xcp-groups");
        var x = b.Input(6, 4, 4);
        // Two conv groups of 3 outputs: a pair would straddle channels 2 and 3.
        var a = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(x, 6, 1, groups: 2, name: "c1"), DataType.U(2), name: "t1"), 2, name: "pair");
        var quad = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(a, 8, 1, name: "c2"), DataType.B, name: "t2"), 4, name: "quad");
        var oct = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(quad, 8, 1, name: "c3"), DataType.B, name: "t3"), 8, name: "oct");
        b.Output(oct);
        var g = FillParameters(b.Build(), SeededRandom.For(5, "xcp-groups"));

        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, new EngineConfig(2, 8)));
        Assert.Equal(
        [
            "layer 'pair' (CrossChannelMaxPool): group G=2 straddles a convolution group of 'c1' (its output channel ranges must start and end at multiples of G)",
            "layer 'quad' (CrossChannelMaxPool): group G=4 does not divide P=2, the engine's output channels per tile",
            "layer 'oct' (CrossChannelMaxPool): group G=8 is not supported by the engine (it pools 2 or 4 channels)",
        ], e.Problems);
    }

    [Fact]
    public void A_fused_cross_channel_pool_is_stored_instead_of_the_threshold()
    {
        var b = new NetworkBuilder("xcp");
        var x = b.Input(4, 2, 2);
        var t = b.MultiThreshold(b.Conv2d(x, 8, 1, name: "c"), DataType.U(2), name: "t");
        b.Output(b.CrossChannelMaxPool(t, 4, name: "p"));
        var legal = Legalize.Run(FillParameters(b.Build(), SeededRandom.For(6, "xcp")), Config);
        Assert.Equal("p = CrossChannelMaxPool(t) G=4 -> 2x2x2 U2 [0, 3]", legal.Nodes[2].Dump());
        var fused = FuseThresholds.Run(legal);
        var layer = Assert.Single(fused.Layers);
        Assert.Equal(("t", "p", 2), (layer.Threshold!.Name, layer.Out.Name, layer.PoolLog2));
    }

    [Fact]
    public void Adds_muls_and_thresholds_that_cannot_ride_on_a_write_back_get_a_copy_pass()
    {
        var b = new NetworkBuilder("copies");
        var x = b.Input(4, 4, 4, DataType.U(2));
        var t1 = b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c1"), DataType.U(2), name: "t1");
        // Two stored tensors: no accumulator to add to.
        var a1 = b.Add(t1, x, name: "a1");
        // The residual t3 is computed after c2, the dot product it would be added to.
        var c2 = b.Conv2d(t1, 4, 1, name: "c2");
        var t3 = b.MultiThreshold(b.Conv2d(t1, 4, 1, name: "c3"), DataType.U(2), name: "t3");
        var a2 = b.Add(c2, t3, 1, 0, name: "a2");
        // The accumulator c4 also feeds another layer; t4 is a threshold of a stored tensor.
        var c4 = b.Conv2d(t3, 4, 1, name: "c4");
        var a3 = b.Add(x, c4, name: "a3");
        var gate = b.MultiThreshold(c4, DataType.B, name: "t4");
        // A gate computed after the dot product it would gate; then a gate that fuses.
        var m1 = b.Mul(gate, c2, name: "m1");
        var m2 = b.Mul(gate, b.Conv2d(t3, 4, 1, name: "c5"), name: "m2");
        b.Output(a1, a2, a3, m1, m2);
        var g = FillParameters(b.Build(), SeededRandom.For(5, "copies"));
        var fused = FuseThresholds.Run(Legalize.Run(g, Config));
        Assert.Equal(
        [
            "c1 Conv2d + t1", "a1 Add(t1 copied) + a1 (input)", "c2 Conv2d", "c3 Conv2d + t3", "a2 Add(c2 copied) + a2 (t3)",
            "c4 Conv2d", "a3 Add(input copied) + a3 (c4)", "t4 MultiThreshold(c4 copied) + t4", "m1 Mul(c2 copied) * m1 (t4)", "c5 Conv2d * m2 (t4)",
        ], fused.Layers.Select(Describe));

        static string Describe(FusedLayer l) =>
            l.Name + " " + l.Dot.SourceOp + (l.Dot.SourceOp is "Conv2d" ? "" : $"({l.In.Name} copied)")
            + (l.Add is { } a ? $" + {a.Name} ({a.Residual.Name})" : "") + (l.Gate is { } m ? $" * {m.Name} ({m.Gate.Name})" : "")
            + (l.Threshold is { } t ? $" + {t.Name}" : "");
    }

    [Fact]
    public void A_fused_add_keeps_its_shifts_in_either_operand_order_and_keeps_the_residual_live()
    {
        var b = new NetworkBuilder("add-order");
        var x = b.Input(4, 4, 4, DataType.U(2));
        var t1 = b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c1"), DataType.U(2), name: "t1");
        var a1 = b.MultiThreshold(b.Add(x, b.Conv2d(t1, 4, 1, name: "c2"), 3, 1, name: "a1"), DataType.B, name: "t2");
        b.Output(b.Add(b.Conv2d(a1, 4, 1, name: "c3"), t1, 2, 0, name: "a2"));
        var g = FillParameters(b.Build(), SeededRandom.For(6, "add-order"));
        var legal = Legalize.Run(g, Config);
        var adds = legal.Nodes.OfType<AddNode>().ToList();
        Assert.Equal([("a1", "c2", "input", 1, 3), ("a2", "c3", "t1", 2, 0)],
            adds.Select(a => (a.Name, a.In.Name, a.Residual.Name, a.ShiftAcc, a.ShiftRes)));
        var program = LoweringPipeline.Lower(g, Config);
        // The input is read by the second layer's Add, t1 by the third's: both stay live until then.
        Assert.Equal(2, program.Memory.Region("input").Dies);
        Assert.Equal(3, program.Memory.Region("t1").Dies);
        Assert.Equal(["t1", "t2", "a2"], program.Layers.Select(l => l.Source.Out.Name));
    }
}
