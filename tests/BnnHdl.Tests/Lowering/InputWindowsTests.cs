using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Lowering;

/// <summary>
/// A convolution of the network input with fewer channels than lanes runs over the input's
/// windows, preloaded by the host as C x KH x KW channels (im2col): a 1 x 1 over 27 channels
/// instead of 9 taps of 3 lanes. Checked: the legal graph, the windows by hand (channel
/// order, padding with the pad value), the beats, and bit-exactness in the simulator.
/// </summary>
public sealed class InputWindowsTests
{
    [Fact]
    public void The_first_convolution_reads_the_preloaded_windows_of_the_input()
    {
        var b = new NetworkBuilder("stem");
        var x = b.Input(3, 6, 6);
        b.Output(b.MultiThreshold(b.Conv2d(x, 8, 3, stride: 2, pad: 1, name: "c"), DataType.U(2), name: "t"));
        var g = FillParameters(b.Build(), SeededRandom.For(2, "stem"));
        var config = new EngineConfig(4, 32);

        var legal = Legalize.Run(g, config);
        var windows = Assert.Single(legal.Nodes.OfType<ConstantNode>());
        Assert.Equal(("c.windows", new Shape(27, 3, 3)), (windows.Out.Name, windows.Out.Shape));
        var dot = Assert.Single(legal.Nodes.OfType<DotNode>());
        Assert.Equal((windows.Out, 1, 27), (dot.In, dot.Geometry.Taps, dot.Geometry.Groups.Single().InCount));

        // Channel (c * 3 + ky) * 3 + kx at output (oy, ox) is input (c, 2 oy + ky - 1, 2 ox + kx - 1), 0 outside.
        var input = Tensor(SeededRandom.For(3, "stem input"), x.Shape, x.Type);
        var w = windows.Data(input);
        Assert.Equal(0, w[0, 0, 0]);                       // c 0, tap (0, 0) of output (0, 0): row -1
        Assert.Equal(input[0, 0, 0], w[4, 0, 0]);          // c 0, tap (1, 1): input (0, 0)
        Assert.Equal(input[2, 3, 5], w[2 * 9 + 2 * 3 + 2, 1, 2]);   // c 2, tap (2, 2) of output (1, 2): input (3, 5)

        var program = LoweringPipeline.Lower(g, config);
        // 27 channels fit one 32-lane word: 8 beats (planes) per position instead of 9 x 8.
        var layer = program.Layers.Single();
        Assert.Equal(8, layer.Descriptor.Beats(layer.Tiles.First().NcbK));
        BnnHdl.Tests.Engine.EngineCheck.AgainstReference(g, config, input, "stem");
    }

    [Fact]
    public void Windows_of_a_bipolar_input_hold_the_pad_value()
    {
        var b = new NetworkBuilder("bstem");
        var x = b.Input(2, 4, 4, DataType.B);
        b.Output(b.MultiThreshold(b.Conv2d(x, 4, new Pair(3, 1), pad: new Padding(1, 0, 1, 0), padValue: -1, name: "c"), DataType.B, name: "t"));
        var g = FillParameters(b.Build(), SeededRandom.For(4, "bstem"));
        var windows = Assert.Single(Legalize.Run(g, new EngineConfig(4, 8)).Nodes.OfType<ConstantNode>());
        var input = Tensor(SeededRandom.For(5, "bstem input"), x.Shape, x.Type);
        Assert.Equal(-1, windows.Data(input)[0, 0, 1]);    // tap ky = 0 of output row 0: padding, -1
        foreach (var config in new[] { new EngineConfig(4, 8), new EngineConfig(3, 6) })
            BnnHdl.Tests.Engine.EngineCheck.AgainstReference(g, config, input, "bstem");
    }

    [Fact]
    public void A_wide_input_is_read_as_it_is()
    {
        // 8 channels on 8 lanes: windows would take 9 words per position, as the taps do.
        var b = new NetworkBuilder("wide");
        var x = b.Input(8, 4, 4);
        b.Output(b.Conv2d(x, 4, 3, pad: 1, name: "c"));
        var legal = Legalize.Run(FillParameters(b.Build(), SeededRandom.For(6, "wide")), new EngineConfig(4, 8));
        Assert.Empty(legal.Nodes.OfType<ConstantNode>());
    }
}
