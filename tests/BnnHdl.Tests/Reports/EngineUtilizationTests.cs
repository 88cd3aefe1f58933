using BnnHdl.Engine;
using BnnHdl.Golden;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reports;

namespace BnnHdl.Tests.Reports;

public class EngineUtilizationTests
{
    private static LoweredProgram Lower(Graph g, int p, int s) => Lower(g, new EngineConfig(p, s));

    private static LoweredProgram Lower(Graph g, EngineConfig config)
    {
        var input = InputImages.Random(g.Input.Output, 3);
        return LoweringPipeline.Lower(RandomParameters.Fill(g, input, 3), config);
    }

    [Fact]
    public void Binary_macs_count_input_planes_and_cycles_come_from_the_cycle_model()
    {
        var b = new NetworkBuilder("u");
        var x = b.Input(4, 6, 6, DataType.U(2));
        var dw = b.MultiThreshold(b.DepthwiseConv2d(x, new Pair(1, 5), pad: new Padding(0, 2, 0, 2), name: "strip"), DataType.B, name: "strip.q");
        var full = b.MultiThreshold(b.Conv2d(dw, 8, 3, pad: 1, padValue: -1, name: "dense"), DataType.U(2), name: "dense.q");
        b.Output(b.Linear(full, 3, name: "fc"));
        var program = Lower(b.Build(), 4, 8);
        var u = EngineUtilization.Of(program);
        var cycles = CycleModel.Predict(program);

        // strip: 4 channels x 5 taps x 36 positions x 2 planes; dense: 8 x 4 x 9 x 36 x 1 (B input); fc: 3 x 8 x 36 x 2.
        Assert.Equal([1_440L, 10_368L, 1_728L], u.Layers.Select(l => l.BinaryMacs));
        Assert.Equal(["strip 1x5", "dense 3x3", "linear 1x1"], u.Layers.Select(l => l.Kind));
        Assert.Equal(cycles.Layers, u.Layers.Select(l => l.Cycles));
        for (int k = 0; k < 3; k++)
            Assert.Equal((double)u.Layers[k].BinaryMacs / (cycles.Layers[k] * 32), u.Layers[k].Utilization);
        Assert.Equal((double)13_536 / (cycles.Total * 32), u.Utilization);
    }

    [Fact]
    public void A_dense_layer_with_a_full_reduction_keeps_the_lanes_busy_on_4x8()
    {
        // dense-mix's down.conv: 16 U2 inputs fill both 8-lane blocks, 12 outputs fill 3 tiles of 4 PEs;
        // 36 beats per position (9 taps x 2 blocks x 2 planes) hide the write-back (1 plane of B), so only
        // the setups and each tile's last drain, acc cycle and writes are idle.
        var program = Lower(BnnHdl.Zoo.ModelZoo.Build("dense-mix"), 4, 8);
        var down = EngineUtilization.Of(program).Layers.Single(l => l.Name == "down.conv");
        Assert.Equal(12L * 16 * 9 * 64 * 2, down.BinaryMacs);
        Assert.Equal(2 + 3 * (2 + 63 * 36 + 36 + 2 + 1), down.Cycles);
        Assert.InRange(down.Utilization, 0.997, 0.998);
    }

    /// <summary>
    /// Dense layers sized for a 64 x 64 engine. Reductions (input channels per group x taps) of
    /// 64 to 576 with B and U2 activations: 3x3 and 1x1 convolutions (a 1x1 with 64 inputs is
    /// one word per plane), a grouped 3x3, a strided 3x3. The write-back (one write per output
    /// plane) hides under the beats, so only the setups and each tile's last position are idle.
    /// </summary>
    internal static Graph Dense64()
    {
        var b = new NetworkBuilder("dense64");
        var x = b.Input(64, 16, 16, DataType.U(2));
        var c1 = b.MultiThreshold(b.Conv2d(x, 64, 3, pad: 1, name: "3x3.u2"), DataType.U(2));
        var c2 = b.MultiThreshold(b.Conv2d(c1, 128, 1, name: "1x1.u2"), DataType.B);
        var c3 = b.MultiThreshold(b.Conv2d(c2, 128, 3, pad: 1, groups: 2, name: "3x3.grouped.b"), DataType.B);
        var c4 = b.MultiThreshold(b.Conv2d(c3, 64, 1, weights: WeightType.Unipolar, name: "1x1.b"), DataType.B);
        var c5 = b.MultiThreshold(b.Conv2d(c4, 64, 3, stride: 2, pad: 1, name: "3x3.s2.b"), DataType.U(2));
        b.Output(c5);
        return b.Build();
    }

    [Fact]
    public void Dense_layers_with_a_reduction_of_at_least_S_keep_90_percent_of_the_lanes_busy_at_64x64()
    {
        var u = EngineUtilization.Of(Lower(Dense64(), 64, 64));
        foreach (var layer in u.Layers)
            Assert.True(layer.Utilization >= 0.9, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
        Assert.True(u.Utilization >= 0.98, $"the run: {u.Utilization:P1}");
        // 1x1.u2: 256 positions x (2 beats = 2 planes of 64 inputs), 2 tiles of 64 PEs.
        var oneByOne = u.Layers.Single(l => l.Name == "1x1.u2");
        Assert.Equal(2 + 2 * (2 + 255 * 2 + 2 + 2 + 1), oneByOne.Cycles);
    }

    /// <summary>
    /// Dense layers with fewer input channels per group than S (32 and 16 on 64 lanes): 1x1 and
    /// 3x3, U2 and B. With segments each beat computes S / ICg neighbouring positions, so
    /// the lanes stay busy; <paramref name="w"/> x <paramref name="h"/> inputs whose width G
    /// does not divide give each row a short last group.
    /// </summary>
    internal static Graph Narrow(int h = 16, int w = 16)
    {
        var b = new NetworkBuilder("narrow");
        var x = b.Input(32, h, w, DataType.U(2));
        var a = b.MultiThreshold(b.Conv2d(x, 64, 1, name: "1x1.c32"), DataType.U(2));
        var c = b.MultiThreshold(b.Conv2d(x, 64, 3, pad: 1, name: "3x3.c32"), DataType.B);
        var q = b.MultiThreshold(b.Conv2d(x, 16, 1, weights: WeightType.Unipolar, name: "1x1.to16"), DataType.U(2));
        var d = b.MultiThreshold(b.Conv2d(q, 64, 1, name: "1x1.c16"), DataType.B);
        var e = b.MultiThreshold(b.Conv2d(q, 64, 3, pad: 1, padValue: 0, name: "3x3.c16"), DataType.U(2));
        // A residual Add of the input onto a segmented 1x1 (read at write-back per segment).
        var r = b.MultiThreshold(b.Add(b.Conv2d(x, 32, 1, name: "1x1.res"), x, name: "res.add"), DataType.U(2));
        b.Output(a, c, d, e, r);
        return b.Build();
    }

    [Fact]
    public void Dense_layers_with_fewer_input_channels_than_S_keep_90_percent_busy_with_segments_at_64x64()
    {
        var config = new EngineConfig(64, 64, segments: 4, banks: 8);
        var program = Lower(Narrow(), config);
        var u = EngineUtilization.Of(program);
        foreach (var name in new[] { "1x1.c32", "3x3.c32", "1x1.c16", "3x3.c16" })
        {
            var layer = u.Layers.Single(l => l.Name == name);
            Assert.True(layer.Utilization >= 0.9, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
        }
        // 32 channels: 2 positions per beat; 16: 4 (the most the banks allow for U2: 3 x 2 + 1
        // words); the residual 1x1 takes 4 too, its write-back (3 residual cycles + 2 writes)
        // outlasting 2 positions' beats.
        Assert.Equal([2, 2, 2, 4, 4, 4], program.Layers.Select(l => l.Descriptor.Segments));
        // 1x1.c32: 16 rows x 8 groups of N = 2 beats (2 planes), W = 2 writes.
        Assert.Equal(2 + 2 + 127 * 2 + 2 + 2 + 2, u.Layers.Single(l => l.Name == "1x1.c32").Cycles);
        // Without segments the same layers use ICg / S of the lanes (3x3.c32 reads the network
        // input, which then runs over preloaded windows: 288 of 320 lanes).
        var plain = EngineUtilization.Of(Lower(Narrow(), 64, 64));
        Assert.InRange(plain.Layers.Single(l => l.Name == "1x1.c32").Utilization, 0.49, 0.5);
        Assert.InRange(plain.Layers.Single(l => l.Name == "3x3.c16").Utilization, 0.24, 0.25);
    }

    /// <summary>
    /// Dense layers whose groups are no multiple and no power-of-two fraction of S = 64: 160,
    /// 96 and 48 input channels (MSCAN-T's stage 3 has 160), 1x1 and 3x3, U2 and B; and 1x1s
    /// whose residual write-back outlasts their beats, over 64 and 32 channels. The layers
    /// named "to.." make the narrow tensors (fewer output channels than P: not asserted).
    /// </summary>
    internal static Graph Uneven(int h = 16, int w = 16)
    {
        var b = new NetworkBuilder("uneven");
        var x = b.Input(160, h, w, DataType.U(2));
        var a = b.MultiThreshold(b.Conv2d(x, 64, 1, name: "1x1.c160"), DataType.B);
        var e = b.MultiThreshold(b.Conv2d(x, 64, 3, pad: 1, padValue: 0, name: "3x3.c160"), DataType.U(2));
        var n96 = b.MultiThreshold(b.Conv2d(a, 96, 1, name: "to96"), DataType.B);
        var c = b.MultiThreshold(b.Conv2d(n96, 64, 3, pad: 1, name: "3x3.c96"), DataType.U(2));
        var n48 = b.MultiThreshold(b.Conv2d(a, 48, 1, weights: WeightType.Unipolar, name: "to48"), DataType.B);
        var d = b.MultiThreshold(b.Conv2d(n48, 64, 1, name: "1x1.c48"), DataType.B);
        var r = b.MultiThreshold(b.Add(b.Conv2d(e, 64, 1, name: "1x1.res.c64"), e, name: "res64.add"), DataType.U(2));
        var n32 = b.MultiThreshold(b.Conv2d(d, 32, 1, name: "to32"), DataType.B);
        var t = b.MultiThreshold(b.Add(b.Conv2d(n32, 64, 1, name: "1x1.res.c32"), d, name: "res32.add"), DataType.B);
        b.Output(c, r, t);
        return b.Build();
    }

    [Fact]
    public void Dense_layers_with_uneven_groups_and_residual_write_backs_keep_90_percent_busy_with_segments_at_64x64()
    {
        var program = Lower(Uneven(), new EngineConfig(64, 64, segments: 8, banks: 16));
        var u = EngineUtilization.Of(program);
        foreach (var layer in u.Layers.Where(l => !l.Name.StartsWith("to", StringComparison.Ordinal)))
            Assert.True(layer.Utilization >= 0.9, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
        // 160 and 96 channels: runs of 32 lanes (2 positions per beat); 48: of 16 (4); the
        // residual 1x1s: 4 and 8 positions, so the beats of a group outlast its write-back.
        Assert.Equal([2, 2, 1, 2, 1, 4, 4, 1, 8], program.Layers.Select(l => l.Descriptor.Segments));
        // 1x1.c160: 16 rows x 8 groups of N = 5 run blocks x 2 planes, W = 1 write (B).
        Assert.Equal(2 + 2 + 127 * 10 + 10 + 2 + 1, u.Layers.Single(l => l.Name == "1x1.c160").Cycles);
        // Without segments: 160 channels fill 5 of 6 half blocks (83 %), 96 and 48 3 of 4 (75 %),
        // and a 1x1 with a residual waits for its write-back.
        var plain = EngineUtilization.Of(Lower(Uneven(), 64, 64));
        Assert.InRange(plain.Layers.Single(l => l.Name == "1x1.c160").Utilization, 0.82, 0.84);
        Assert.InRange(plain.Layers.Single(l => l.Name == "3x3.c96").Utilization, 0.74, 0.75);
        Assert.InRange(plain.Layers.Single(l => l.Name == "1x1.res.c32").Utilization, 0.16, 0.17);
    }

    /// <summary>
    /// Dense layers with fewer output channels than P = 64 (MSCAN-T's first stage has 32
    /// channels): 32, 48 and 16 outputs, 1x1 and 3x3, over 256, 32 and 48 inputs, one with a
    /// residual, one pooled across channels by 2. "expand" makes the 256-channel input (not asserted). Smaller engines take
    /// every channel count divided by <paramref name="div"/>.
    /// </summary>
    internal static Graph Fewer(int h = 16, int w = 16, int div = 1)
    {
        var b = new NetworkBuilder("fewer");
        var x = b.Input(32 / div, h, w, DataType.U(2));
        var wide = b.MultiThreshold(b.Conv2d(x, 256 / div, 1, name: "expand"), DataType.B);
        var a = b.MultiThreshold(b.Conv2d(wide, 32 / div, 1, name: "1x1.c256.oc32"), DataType.U(2));
        var c = b.MultiThreshold(b.Conv2d(a, 32 / div, 3, pad: 1, name: "3x3.c32.oc32"), DataType.B);
        var r = b.MultiThreshold(b.Add(b.Conv2d(c, 32 / div, 1, name: "1x1.c32.oc32.res"), c, name: "res.add"), DataType.B);
        var d = b.MultiThreshold(b.Conv2d(r, 48 / div, 3, pad: 1, padValue: -1, name: "3x3.c32.oc48"), DataType.U(2));
        var e = b.MultiThreshold(b.Conv2d(d, 16 / div, 1, weights: WeightType.Unipolar, name: "1x1.c48.oc16"), DataType.B);
        // Condensation-Net style: 32 outputs pooled by 2 at write-back (16 stored).
        var p = b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(d, 32 / div, 1, name: "1x1.c48.oc32.xcp2"), DataType.U(2)), 2, name: "xcp");
        b.Output(e, p);
        return b.Build();
    }

    [Fact]
    public void Dense_layers_with_fewer_output_channels_than_P_keep_90_percent_busy_with_pe_groups_at_64x64()
    {
        var program = Lower(Fewer(32, 32), new EngineConfig(64, 64, segments: 8, banks: 32, peGroups: 4));
        var u = EngineUtilization.Of(program);
        foreach (var layer in u.Layers.Where(l => l.Name != "expand"))
            Assert.True(layer.Utilization >= 0.9, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
        // 32 outputs: 2 PE groups of 32; 48 and 16: 4 of 16 (48 as three tiles of 16); the
        // residual 1x1 takes 8 segments per group so its beats outlast the write-back.
        Assert.Equal([(1, 2), (2, 1), (2, 2), (2, 8), (4, 2), (4, 4), (2, 4)], program.Layers.Select(l => (l.Descriptor.PeGroups, l.Descriptor.Segments)));
        // 1x1.c256.oc32: 32 rows x 16 groups of 2 positions, N = 4 blocks of B, W = 2 writes (U2).
        Assert.Equal(2 + 2 + 511 * 4 + 4 + 2 + 2, u.Layers.Single(l => l.Name == "1x1.c256.oc32").Cycles);
        // Without PE groups: output channels / P (50 %, 75 %, 25 %).
        var plain = EngineUtilization.Of(Lower(Fewer(32, 32), new EngineConfig(64, 64, segments: 8, banks: 32)));
        Assert.InRange(plain.Layers.Single(l => l.Name == "1x1.c256.oc32").Utilization, 0.49, 0.5);
        Assert.InRange(plain.Layers.Single(l => l.Name == "3x3.c32.oc48").Utilization, 0.74, 0.75);
        Assert.InRange(plain.Layers.Single(l => l.Name == "1x1.c48.oc16").Utilization, 0.24, 0.25);
    }

    /// <summary>
    /// Stride-2 dense convolutions as MSCAN's stem and downsampling layers have them: 3x3 over
    /// 16, 32 and 160 channels into 32, 64 and 256 (U2 and B). "to160" makes the 160-channel
    /// input (not asserted).
    /// </summary>
    internal static Graph Strided(int h = 32, int w = 32, int div = 1)
    {
        var b = new NetworkBuilder("strided");
        var x = b.Input(16 / div, h, w, DataType.U(2));
        var a = b.MultiThreshold(b.Conv2d(x, 32 / div, 3, stride: 2, pad: 1, name: "3x3.s2.c16.oc32"), DataType.B);
        var c = b.MultiThreshold(b.Conv2d(a, 64 / div, 3, stride: 2, pad: 1, padValue: -1, name: "3x3.s2.c32.oc64"), DataType.U(2));
        var t = b.MultiThreshold(b.Conv2d(c, 160 / div, 1, name: "to160"), DataType.B);
        var d = b.MultiThreshold(b.Conv2d(t, 256 / div, 3, stride: 2, pad: 1, padValue: 1, name: "3x3.s2.c160.oc256"), DataType.B);
        b.Output(d);
        return b.Build();
    }

    [Fact]
    public void Strided_dense_layers_keep_90_percent_busy_with_segments_and_pe_groups_at_64x64()
    {
        var program = Lower(Strided(64, 64), new EngineConfig(64, 64, segments: 8, banks: 32, peGroups: 4));
        var u = EngineUtilization.Of(program);
        foreach (var layer in u.Layers)
            Assert.True(layer.Utilization >= 0.9, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
        // A beat's positions read inputs 2 positions apart: (G Q - 1) 2 K + 1 words per access.
        Assert.Equal([(2, 4), (1, 2), (2, 1), (1, 2)], program.Layers.Select(l => (l.Descriptor.PeGroups, l.Descriptor.Segments)));
        // 3x3.s2.c32.oc64: 16 rows x 8 groups of N = 9 taps x 1 run block x 1 plane, W = 2 writes.
        Assert.Equal(2 + 2 + 127 * 9 + 9 + 2 + 2, u.Layers.Single(l => l.Name == "3x3.s2.c32.oc64").Cycles);
        // With one position per beat: ICg / S (the first over its preloaded input windows).
        var plain = EngineUtilization.Of(Lower(Strided(64, 64), new EngineConfig(64, 64)));
        Assert.InRange(plain.Layers.Single(l => l.Name == "3x3.s2.c32.oc64").Utilization, 0.49, 0.5);
        Assert.InRange(plain.Layers.Single(l => l.Name == "3x3.s2.c160.oc256").Utilization, 0.82, 0.84);
    }

    /// <summary>
    /// One engine for all the goals: 64 x 64 with 16 segments, 64 banks and 4 PE groups keeps
    /// every dense layer above (reductions of at least S, fewer input or output channels than
    /// S or P, uneven channel counts, stride 2, residuals, pooling) at 90 % or more and every
    /// depthwise and strip convolution at 50 % or more. The helper layers that only make the
    /// inputs ("expand", "to..") are left out.
    /// </summary>
    [Fact]
    public void One_engine_reaches_every_utilization_goal_at_64x64()
    {
        var config = new EngineConfig(64, 64, segments: 16, banks: 64, peGroups: 4);
        var dense = new[] { Dense64(), Narrow(32, 32), Uneven(32, 32), Fewer(32, 32), Strided(64, 64) }
            .SelectMany(g => EngineUtilization.Of(Lower(g, config)).Layers)
            .Where(l => l.Name != "expand" && !l.Name.StartsWith("to", StringComparison.Ordinal) && l.Kind.StartsWith("dense", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(25, dense.Count);
        var low = dense.Where(l => l.Utilization < 0.9).Select(l => $"{l.Name} {l.Utilization:P1}");
        Assert.Empty(low);
        foreach (var type in new[] { DataType.B, DataType.U(2) })
        {
            var strips = EngineUtilization.Of(Lower(Depthwise(type), config)).Layers.Where(l => l.Name.StartsWith("dw", StringComparison.Ordinal)).ToList();
            Assert.Equal(9, strips.Count);
            Assert.Empty(strips.Where(l => l.Utilization < 0.5).Select(l => $"{l.Name} {type} {l.Utilization:P1}"));
        }
    }

    [Fact]
    public void Segments_multiply_lane_mode_work_by_the_positions_per_beat()
    {
        // A depthwise 3x3 over 64 U2 channels: one lane per PE and beat without segments (1 / S).
        // With 8 segments and 16 banks one beat carries 8 positions of one tap (7 x 2 + 1 words),
        // or, with the window, a window row of 3 taps of 4 positions (their 6 positions are
        // 5 x 2 + 1 words; 8 would need 19): 12 lanes instead of 8, so the window is taken.
        var b = new NetworkBuilder("dw");
        var x = b.Input(64, 16, 16, DataType.U(2));
        b.Output(b.MultiThreshold(b.Conv2d(x, 64, 3, pad: 1, groups: 64, name: "dw3x3"), DataType.U(2)));
        var plain = EngineUtilization.Of(Lower(b.Build(), 64, 64)).Layers.Single();
        var segmented = Lower(b.Build(), new EngineConfig(64, 64, segments: 8, banks: 16));
        Assert.Equal((2, 1), (segmented.Layers[0].Descriptor.SegLog2, segmented.Layers[0].Descriptor.Win));
        var u = EngineUtilization.Of(segmented).Layers.Single();
        Assert.InRange(plain.Utilization, 0.0155, 1.0 / 64);
        Assert.InRange(u.Utilization, 0.18, 12.0 / 64);
        // 16 rows x 4 groups of 4 positions, N = 3 window rows x 2 planes, W = 2 writes.
        Assert.Equal(2 + 2 + 63 * 6 + 6 + 2 + 2, u.Cycles);
    }

    /// <summary>
    /// Depthwise and strip convolutions of MSCAN (64 channels at 64 x 64), output
    /// of the input's type (a strip of one row and a B input has N = 1 beat per group: an
    /// output of more planes would make the write-back the bound, W = K_out).
    /// </summary>
    public static Graph Depthwise(DataType type)
    {
        var b = new NetworkBuilder("depthwise");
        var x = b.Input(64, 64, 64, type);
        var outs = new List<TensorInfo>();
        foreach (var (kh, kw) in new[] { (3, 3), (5, 5), (7, 7), (1, 7), (1, 11), (1, 21), (7, 1), (11, 1), (21, 1) })
            outs.Add(b.MultiThreshold(b.DepthwiseConv2d(x, new Pair(kh, kw), pad: new Padding(kh / 2, kw / 2, kh / 2, kw / 2),
                name: $"dw{kh}x{kw}"), type, name: $"dw{kh}x{kw}.q"));
        b.Output(outs.ToArray());
        return b.Build();
    }

    [Theory]
    [InlineData("B")]
    [InlineData("U2")]
    public void Depthwise_and_strip_convolutions_keep_half_the_lanes_busy_with_the_window_at_64x64(string type)
    {
        // The window (docs/engine.md "Window"): lane t of run g is tap (ky, t) of position x + g,
        // one beat per window row and plane: G KW / S of the lanes, G the most segments whose
        // runs hold KW lanes and whose G + KW - 1 positions one access covers.
        var program = Lower(Depthwise(DataType.Parse(type)), new EngineConfig(64, 64, segments: 16, banks: 64));
        var u = EngineUtilization.Of(program);
        var expected = new Dictionary<string, int>
        {
            ["dw3x3"] = 16, ["dw5x5"] = 8, ["dw7x7"] = 8, ["dw1x7"] = 8, ["dw1x11"] = 4, ["dw1x21"] = 2,
            ["dw7x1"] = 8, ["dw11x1"] = 4, ["dw21x1"] = 2,
        };
        foreach (var (name, g) in expected)
        {
            // Vertical strips walk their columns: the descriptor's row is the column (kw = KH).
            var d = program.Layers.Single(l => l.Source.Name == name).Descriptor;
            Assert.Equal((g, 1, name.EndsWith("x1") ? 1 : 0), (d.Segments, d.Win, d.Vert));
            var layer = u.Layers.Single(l => l.Name == name);
            Assert.True(layer.Utilization >= 0.5, $"{layer.Name} ({layer.Kind}): {layer.Utilization:P1}");
            // Beats alone would give G KW / S: only setups and the last write-back are on top.
            Assert.InRange(layer.Utilization, (double)g * d.Kw / 64 * 0.98, (double)g * d.Kw / 64);
        }
    }

    [Fact]
    public void Cycles_split_into_beats_write_back_stalls_and_the_rest()
    {
        // 8 B inputs -> 1x1 -> 4 channels of U2: N = 1 beat per position (one word of 8 lanes),
        // W = 2 writes, so each of the 36 positions but the last waits 1 cycle for the write-back.
        var b = new NetworkBuilder("split");
        var x = b.Input(8, 6, 6, DataType.B);
        b.Output(b.MultiThreshold(b.Conv2d(x, 4, 1, name: "c"), DataType.U(2)));
        var l = EngineUtilization.Of(Lower(b.Build(), 4, 8)).Layers.Single();
        Assert.Equal(new CycleBreakdown(36, 35, 2 + 2 + 2 + 2), l.Split);
        Assert.Equal(l.Cycles, l.Split.Total);
        Assert.Equal(1.0, l.BeatUtilization);           // every lane of every PE during the beats
        Assert.Equal(36.0 / 79, l.Utilization, 12);
    }

    [Fact]
    public void Pools_upsampling_and_products_count_their_window_terms_and_kinds_add_up()
    {
        var b = new NetworkBuilder("k");
        var x = b.Input(4, 6, 6, DataType.U(2));
        var ppm = b.MultiThreshold(b.AdaptiveSumPool(x, 3, name: "ppm"), DataType.U(2), name: "ppm.q");
        var up = b.UpsampleNearest(ppm, 2, name: "up");
        var s1 = b.MultiThreshold(b.SumPool2d(x, 2, 2, name: "s1"), DataType.B, name: "s1.q");
        var s2 = b.MultiThreshold(b.SumPool2d(x, 2, 2, name: "s2"), DataType.B, name: "s2.q");
        b.Output(up, b.ActMatMul(s1, s2, transposeB: true, name: "mm"));
        var u = EngineUtilization.Of(Lower(b.Build(), 4, 8));

        // ppm: every input position once (9 bins of 2x2) x 4 channels x 2 planes; up: 4 x 6 x 6 x 2;
        // sums: 4 x 9 positions x 4 taps x 2; mm: 4 x 4 outputs x 9 terms x 1 plane of the B rows.
        Assert.Equal([288L, 288L, 288L, 288L, 144L], u.Layers.Select(l => l.BinaryMacs));
        Assert.Equal(["AdaptiveSumPool", "UpsampleNearest", "SumPool2d 2x2", "SumPool2d 2x2", "act x act"], u.Layers.Select(l => l.Kind));
        var kinds = u.ByKind();
        Assert.Equal([("AdaptiveSumPool", 1), ("UpsampleNearest", 1), ("SumPool2d 2x2", 2), ("act x act", 1)], kinds.Select(k => (k.Kind, k.Layers)));
        Assert.Equal(u.Cycles - CycleModel.RunOverhead, kinds.Sum(k => k.Cycles));
        Assert.Equal(576L, kinds[2].BinaryMacs);
        Assert.Equal((double)kinds[2].Cycles / u.Cycles, kinds[2].CycleShare);
    }
}
