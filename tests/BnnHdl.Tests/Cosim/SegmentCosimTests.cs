using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Quant;
using BnnHdl.Tests.Engine;
using BnnHdl.Tests.Reports;
using BnnHdl.Tests.Support;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Segments and PE groups in the RTL (docs/engine.md "Segments", "PE groups"): the uneven
/// network (run blocks of 160, 96 and 48 channels, residuals read per segment) and the fewer
/// one (PE groups) in Verilator on 16 x 32 with row widths the segments do not divide (the
/// narrow network of 32 and 16 channels runs in the simulator); lane-mode networks segmented; and seeded random single layers
/// (every activation type, padding, dilation, groups, residuals, wide and strided layers) and
/// small networks in Icarus on small engines; every stored tensor bit-exact, every layer's
/// cycles as predicted, and the layers really segmented or grouped.
/// </summary>
public sealed class SegmentCosimTests
{
    /// <summary>
    /// Run blocks (docs/engine.md "Segments"): groups of 160, 96 and 48 channels and 1x1s with
    /// a residual, read in runs of S / G lanes across blocks; rows the segments do not divide.
    /// </summary>
    [Fact]
    public void Uneven_network_in_verilator()
    {
        var (g, input) = SeededNetwork.Prepare(EngineUtilizationTests.Uneven(9, 15), 9);
        var program = LoweringPipeline.Lower(g, new EngineConfig(16, 32, segments: 4, banks: 8));
        Assert.Contains(program.Layers, l => l.Descriptor.Segments > 1 && l.Tiles.Any(t => t.Ncb > 1));
        Assert.Contains(program.Layers, l => l.Descriptor.Segments > 1 && l.Descriptor.ResKind != 0);
        CosimCheck.AgainstReference(g, program, input, SimulatorKind.Verilator, "uneven 9x15");
    }

    /// <summary>
    /// PE groups (docs/engine.md "PE groups"): the fewer network (layers of fewer output
    /// channels than P, one with a residual) with its channels divided by 4, on 16 x 32 with 4
    /// PE groups of 4 PEs.
    /// </summary>
    [Fact]
    public void Fewer_network_in_verilator()
    {
        var (g, input) = SeededNetwork.Prepare(EngineUtilizationTests.Fewer(9, 15, 4), 9);
        var program = LoweringPipeline.Lower(g, new EngineConfig(16, 32, segments: 4, banks: 16, peGroups: 4));
        Assert.Contains(program.Layers, l => l.Descriptor.PeGroups == 4);
        Assert.Contains(program.Layers, l => l.Descriptor.PeGroups > 1 && l.Descriptor.Segments > 1 && l.Descriptor.ResKind != 0);
        CosimCheck.AgainstReference(g, program, input, SimulatorKind.Verilator, "fewer 9x15 / 4");
    }

    /// <summary>Stride-2 convolutions with segments and PE groups (inputs 2 positions apart in the access).</summary>
    [Fact]
    public void Strided_network_in_icarus()
    {
        var (g, input) = SeededNetwork.Prepare(EngineUtilizationTests.Strided(13, 11, 4), 9);
        foreach (var config in GroupConfigs)
            Assert.Contains(LoweringPipeline.Lower(g, config).Layers, l => l.Descriptor.Sx > 1 && l.Descriptor.Positions > 1);
        foreach (var config in GroupConfigs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"strided 13x11 / 4 on {config}");
    }

    [Fact]
    public void Uneven_network_in_icarus()
    {
        var (g, input) = SeededNetwork.Prepare(EngineUtilizationTests.Uneven(4, 5), 9);
        foreach (var config in IcarusConfigs)
            Assert.Contains(LoweringPipeline.Lower(g, config).Layers, l => l.Descriptor.Segments > 1 && l.Tiles.Any(t => t.Ncb > 1));
        InIcarus(g, input, "uneven 4x5");
    }

    /// <summary>Lane-mode work segmented: the zoo's depthwise / pooling / copy network and every operation chained.</summary>
    [Theory]
    [InlineData("lane-mix", 16, 32, 8, 16)]
    [InlineData("all-ops", 16, 32, 4, 8)]
    public void Lane_mode_networks_in_verilator(string model, int p, int s, int segments, int banks)
    {
        var (g, input) = model == "lane-mix" ? LaneMixTests.Network.Value : AllOpsTests.Network.Value;
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s, segments: segments, banks: banks));
        Assert.Contains(program.Layers, l => l.Descriptor.LaneMode == 1 && l.Descriptor.Segments > 1);
        Assert.Contains(program.Layers, l => l.Descriptor.Win == 1);
        CosimCheck.AgainstReference(g, program, input, SimulatorKind.Verilator, model);
    }

    /// <summary>Random single operations (RandomOpNetworks) whose lane-mode layers segment on the first Icarus engine.</summary>
    public static IEnumerable<object[]> OpCases() => Enumerable.Range(0, 96)
        .Where(i => LoweringPipeline.Lower(RandomOpNetworks.Build(i).Graph, IcarusConfigs[0]).Layers
            .Any(l => l.Descriptor.LaneMode == 1 && l.Descriptor.Segments > 1))
        .Take(10).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(OpCases))]
    public void Random_operation_in_icarus(int index)
    {
        var (g, input, description) = RandomOpNetworks.Build(index);
        InIcarus(g, input, $"case {index} ({description})");
    }

    private static void InIcarus(BnnHdl.Network.Graph g, BnnHdl.Reference.TensorData input, string description)
    {
        foreach (var config in IcarusConfigs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, description);
    }

    private static readonly EngineConfig[] IcarusConfigs = [new(8, 32, segments: 4, banks: 16), new(3, 24, segments: 2, banks: 8)];

    /// <summary>Random conv cases (of RandomConvTests) that segment on the first Icarus engine.</summary>
    public static IEnumerable<object[]> ConvCases() => Enumerable.Range(0, 48)
        .Where(i => Segmented(RandomConvTests.RandomLayer(SeededRandom.For(1000 + i, "engine conv case")).Graph))
        .Take(10).Select(i => new object[] { i });

    /// <summary>Random residual cases (of RandomResidualAddTests) that segment there.</summary>
    public static IEnumerable<object[]> ResidualCases() => Enumerable.Range(0, 24)
        .Where(i => Segmented(RandomResidualAddTests.RandomResidualLayer(SeededRandom.For(4000 + i, "engine residual case")).Graph))
        .Take(4).Select(i => new object[] { i });

    private static bool Segmented(BnnHdl.Network.Graph g) =>
        LoweringPipeline.Lower(g, IcarusConfigs[0]).Layers.Any(l => l.Descriptor.Segments > 1);

    /// <summary>
    /// Random conv layers over 33 to 100 channels (seeds of their own) whose segmented tiles
    /// read more than one run block of S / G lanes on the first Icarus engine.
    /// </summary>
    public static IEnumerable<object[]> RunBlockCases() => Enumerable.Range(0, 48)
        .Where(i => LoweringPipeline.Lower(RandomConvTests.WideLayer(i).Graph, IcarusConfigs[0]).Layers
            .Any(l => l.Descriptor.LaneMode == 0 && l.Descriptor.Segments > 1 && l.Tiles.Any(t => t.Ncb > 1)))
        .Take(3).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(RunBlockCases))]
    public void Random_wide_layer_in_icarus(int index)
    {
        var (g, input, description) = RandomConvTests.WideLayer(index);
        InIcarus(g, input, $"wide case {index} ({description})");
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Random_layer_in_icarus(int index)
    {
        var r = SeededRandom.For(1000 + index, "engine conv case");
        var (g, description) = RandomConvTests.RandomLayer(r);
        InIcarus(g, Tensor(r, g.Input.Output.Shape, g.Input.Output.Type), $"case {index} ({description})");
    }

    [Theory]
    [MemberData(nameof(ResidualCases))]
    public void Random_residual_layer_in_icarus(int index)
    {
        var r = SeededRandom.For(4000 + index, "engine residual case");
        var (g, description) = RandomResidualAddTests.RandomResidualLayer(r);
        InIcarus(g, Tensor(r, g.Input.Output.Shape, g.Input.Output.Type), $"residual case {index} ({description})");
    }

    private static readonly EngineConfig[] GroupConfigs =
        [new(8, 32, segments: 2, banks: 16, peGroups: 2), new(4, 8, segments: 2, banks: 16, peGroups: 4)];

    /// <summary>Random conv and wide layers that use PE groups on the first PE-group engine (docs/engine.md "PE groups").</summary>
    public static IEnumerable<object[]> GroupCases() => Enumerable.Range(0, 48)
        .Select(i => (Index: i, Case: i < 24 ? RandomConvTests.WideLayer(i) : RandomConvTests.Case(i)))
        .Where(c => LoweringPipeline.Lower(c.Case.Graph, GroupConfigs[0]).Layers.Any(l => l.Descriptor.PeGroups > 1))
        .Take(8).Select(c => new object[] { c.Index });

    /// <summary>Random pooled layers (RandomCrossChannelPoolTests) whose PE groups hold pooling groups there.</summary>
    public static IEnumerable<object[]> PooledGroupCases() => Enumerable.Range(0, 24)
        .Where(i => LoweringPipeline.Lower(RandomCrossChannelPoolTests.RandomPooledLayer(SeededRandom.For(3000 + i, "engine xcp case")).Graph, GroupConfigs[0])
            .Layers.Any(l => l.Descriptor.XcpLog2 > 0 && l.Descriptor.PeGroups > 1))
        .Take(4).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(PooledGroupCases))]
    public void Random_pooled_layer_with_pe_groups_in_icarus(int index)
    {
        var r = SeededRandom.For(3000 + index, "engine xcp case");
        var (g, description) = RandomCrossChannelPoolTests.RandomPooledLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in GroupConfigs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"pooled case {index} ({description}) on {config}");
    }

    [Theory]
    [MemberData(nameof(GroupCases))]
    public void Random_layer_with_pe_groups_in_icarus(int index)
    {
        var (g, input, description) = index < 24 ? RandomConvTests.WideLayer(index) : RandomConvTests.Case(index);
        foreach (var config in GroupConfigs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"case {index} ({description}) on {config}");
    }

    [Fact]
    public void Enough_random_cases_segment()
    {
        Assert.Equal(10, ConvCases().Count());
        Assert.Equal(4, ResidualCases().Count());
        Assert.Equal(10, OpCases().Count());
        Assert.Equal(3, RunBlockCases().Count());
        Assert.Equal(8, GroupCases().Count());
        Assert.Equal(4, PooledGroupCases().Count());
        // The window (depthwise and sum-pool rows of KW >= 2) is among them on both engines.
        foreach (var config in IcarusConfigs)
        {
            int windowed = OpCases().Count(c => LoweringPipeline.Lower(RandomOpNetworks.Build((int)c[0]).Graph, config).Layers
                .Any(l => l.Descriptor.Win == 1));
            Assert.True(windowed >= 2, $"{windowed} of the Icarus operation cases use the window on {config}");
        }
    }
}
