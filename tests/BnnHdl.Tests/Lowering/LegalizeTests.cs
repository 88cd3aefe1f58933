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
        var c1 = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "c1"), DataType.U(2), name: "t1");
        var pool = b.MaxPool2d(c1, 2, name: "pool");
        // Neither operand of the Add is a dot product feeding only it (c3 is also an output).
        var c3 = b.Conv2d(pool, 8, 1, name: "c3");
        var sum = b.Add(b.MultiThreshold(b.Conv2d(pool, 8, 1, name: "c2"), DataType.U(2), name: "t2c"), c3, name: "sum");
        var t2 = b.MultiThreshold(sum, DataType.U(2), name: "t2");
        // c4 feeds its threshold and is also a network output: the threshold cannot be fused.
        var c4 = b.Conv2d(t2, 8, 1, name: "c4");
        var t4 = b.MultiThreshold(c4, DataType.B, name: "t4");
        // c5 feeds two thresholds.
        var c5 = b.Conv2d(t4, 8, 1, name: "c5");
        b.Output(c3, c4, b.MultiThreshold(c5, DataType.B, name: "t5a"), b.MultiThreshold(c5, DataType.B, name: "t5b"));
        var g = FillParameters(b.Build(), SeededRandom.For(1, "bad"));

        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, Config));
        Assert.Equal(
        [
            "layer 'pool' (MaxPool2d): not supported by engine v1",
            "layer 'sum' (Add): not supported by engine v1 unless one operand is a Conv2d or Linear whose output feeds only it (the other is read from feature memory)",
            "layer 't4' (MultiThreshold): not supported by engine v1 unless it directly follows a Conv2d, Linear or residual Add whose output feeds only it",
            "layer 't5a' (MultiThreshold): not supported by engine v1 unless it directly follows a Conv2d, Linear or residual Add whose output feeds only it",
            "layer 't5b' (MultiThreshold): not supported by engine v1 unless it directly follows a Conv2d, Linear or residual Add whose output feeds only it",
        ], e.Problems);
        Assert.StartsWith("network 'bad': 5 problems: layer 'pool' (MaxPool2d): not supported by engine v1; layer 'sum'", e.Message);
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
    public void A_network_without_dot_products_has_nothing_to_run()
    {
        var b = new NetworkBuilder("pools");
        var x = b.Input(3, 4, 4);
        b.Output(b.MaxPool2d(x, 2, name: "pool"));
        var e = Assert.Throws<ValidationException>(() => Legalize.Run(b.Build(), Config));
        Assert.Equal(["layer 'pool' (MaxPool2d): not supported by engine v1", "no Conv2d or Linear layer for the engine to run"], e.Problems);
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

    [Fact]
    public void A_cross_channel_pool_fuses_only_after_a_threshold_fed_only_by_its_dot_product()
    {
        var b = new NetworkBuilder("xcp-bad");
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
        var g = FillParameters(b.Build(), SeededRandom.For(4, "xcp-bad"));

        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, Config));
        const string Unfusable = "not supported by engine v1 unless it directly follows a MultiThreshold fused with a Conv2d or Linear, whose output feeds only it";
        Assert.Equal(
        [
            $"layer 'p1' (CrossChannelMaxPool): {Unfusable}",
            $"layer 'p2b' (CrossChannelMaxPool): {Unfusable}",
            $"layer 'p3' (CrossChannelMaxPool): {Unfusable}",
        ], e.Problems);
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
            "layer 'oct' (CrossChannelMaxPool): group G=8 is not supported by engine v1 (it pools 2 or 4 channels)",
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
    public void An_add_that_cannot_ride_on_a_write_back_is_named()
    {
        var b = new NetworkBuilder("add-bad");
        var x = b.Input(4, 4, 4, DataType.U(2));
        var t1 = b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c1"), DataType.U(2), name: "t1");
        // Two stored tensors: no accumulator to add to.
        var a1 = b.Add(t1, x, name: "a1");
        // The residual t3 is computed after c2, the dot product it would be added to.
        var c2 = b.Conv2d(t1, 4, 1, name: "c2");
        var t3 = b.MultiThreshold(b.Conv2d(t1, 4, 1, name: "c3"), DataType.U(2), name: "t3");
        var a2 = b.Add(c2, t3, 1, 0, name: "a2");
        // The accumulator also feeds another layer.
        var c4 = b.Conv2d(t3, 4, 1, name: "c4");
        var a3 = b.Add(x, c4, name: "a3");
        b.Output(a1, a2, a3, b.MultiThreshold(c4, DataType.B, name: "t4"));
        var g = FillParameters(b.Build(), SeededRandom.For(5, "add-bad"));
        var e = Assert.Throws<ValidationException>(() => Legalize.Run(g, Config));
        Assert.Equal(
        [
            "layer 'a1' (Add): not supported by engine v1 unless one operand is a Conv2d or Linear whose output feeds only it (the other is read from feature memory)",
            "layer 'a2' (Add): operand 't3' is computed after 'c2' (the residual must be stored before the layer it is added to runs)",
            "layer 'a3' (Add): not supported by engine v1 unless one operand is a Conv2d or Linear whose output feeds only it (the other is read from feature memory)",
            "layer 't4' (MultiThreshold): not supported by engine v1 unless it directly follows a Conv2d, Linear or residual Add whose output feeds only it",
        ], e.Problems);
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
