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
