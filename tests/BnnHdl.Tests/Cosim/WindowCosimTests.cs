using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Tests.Engine;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// The window in the RTL (docs/engine.md "Window"): random windowed layers of
/// <see cref="RandomWindowNetworks"/> (strips up to 1x21 and 21x1, KxK rows, rows narrower
/// than the window, uneven padding, sum pools, residuals; vertical strips walked down their
/// columns) in Icarus on two engines, every stored tensor
/// bit-exact and every layer's cycles as predicted. The Verilator builds of the window are
/// lane-mix in <see cref="SegmentCosimTests"/>.
/// </summary>
public sealed class WindowCosimTests
{
    private static readonly EngineConfig[] IcarusConfigs = [new(8, 32, segments: 4, banks: 32), new(4, 8, segments: 2, banks: 16)];

    /// <summary>The first cases that are windowed on both engines.</summary>
    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 40)
        .Where(i => IcarusConfigs.All(c => LoweringPipeline.Lower(RandomWindowNetworks.Build(i).Graph, c).Layers.Any(l => l.Descriptor.Win == 1)))
        .Take(8).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_window_layer_in_icarus(int index)
    {
        var (g, input, description) = RandomWindowNetworks.Build(index);
        foreach (var config in IcarusConfigs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"case {index} ({description})");
    }

    /// <summary>
    /// An MSCAN-style attention branch on 8 channels: depthwise 5x5, the strip pairs 1x7 / 7x1
    /// and 1x21 / 21x1 (of a B map: a 1x21 window of U2 positions would need 41 words), a
    /// depthwise 3x3 and a padded 3x3 sum pool, B and U2 maps.
    /// </summary>
    public static BnnHdl.Network.Graph Strips(int h, int w)
    {
        var u2 = BnnHdl.Network.DataType.U(2);
        var b = new BnnHdl.Network.NetworkBuilder("strips");
        var x = b.Input(8, h, w, u2);
        BnnHdl.Network.TensorInfo Dw(BnnHdl.Network.TensorInfo t, int kh, int kw, BnnHdl.Network.DataType type, string name) =>
            b.MultiThreshold(b.DepthwiseConv2d(t, new BnnHdl.Network.Pair(kh, kw), pad: new BnnHdl.Network.Padding(kh / 2, kw / 2, kh / 2, kw / 2), name: name), type, name: name + ".q");
        var a = Dw(x, 5, 5, BnnHdl.Network.DataType.B, "dw5x5");
        var v7 = Dw(Dw(a, 1, 7, BnnHdl.Network.DataType.B, "s1x7"), 7, 1, u2, "s7x1");
        var v21 = Dw(Dw(a, 1, 21, u2, "s1x21"), 21, 1, BnnHdl.Network.DataType.B, "s21x1");
        var d3 = Dw(v7, 3, 3, u2, "dw3x3");
        var pool = b.MultiThreshold(b.SumPool2d(d3, 3, 1, 1, name: "avg.sum"), u2, name: "avg");
        b.Output(v21, pool);
        return b.Build();
    }

    [Fact]
    public void Strips_in_verilator()
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(Strips(12, 13), 5);
        var program = LoweringPipeline.Lower(g, new EngineConfig(8, 32, segments: 8, banks: 32));
        // Every depthwise layer and the pool take the window; the vertical strips walk their columns.
        Assert.All(program.Layers, l => Assert.Equal(1, l.Descriptor.Win));
        Assert.Equal(["s7x1", "s21x1"], program.Layers.Where(l => l.Descriptor.Vert == 1).Select(l => l.Source.Name));
        CosimCheck.AgainstReference(g, program, input, SimulatorKind.Verilator, "strips 12x13");
    }

    [Fact]
    public void Pitched_rows_read_as_a_residual_and_broadcast_in_icarus()
    {
        foreach (bool product in new[] { false, true })
        {
            var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(VerticalWalkTests.Network(product), 3);
            foreach (var config in VerticalWalkTests.Configs)
                CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"vertical (product: {product}) on {config}");
        }
    }

    [Fact]
    public void Vertical_strips_with_a_fused_residual_or_gate_in_icarus()
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(VerticalWalkTests.Fused(9, 7), 4);
        foreach (var config in VerticalWalkTests.Configs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"vertical-fused on {config}");
    }

    [Fact]
    public void Enough_cases_are_windowed_on_both_engines()
    {
        Assert.Equal(8, Cases().Count());
        // Vertical strips among them walk their columns (strided accesses) on both engines.
        foreach (var config in IcarusConfigs)
        {
            int columns = Cases().Count(c => LoweringPipeline.Lower(RandomWindowNetworks.Build((int)c[0]).Graph, config)
                .Layers.Any(l => l.Descriptor.Vert == 1));
            Assert.True(columns >= 2, $"{columns} of the Icarus window cases walk columns on {config}");
        }
    }
}
