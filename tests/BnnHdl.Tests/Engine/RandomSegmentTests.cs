using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Segments (docs/engine.md "Segments"): the random single layers of
/// <see cref="RandomConvTests"/> and <see cref="RandomResidualAddTests"/> on engines whose
/// beats may compute several output positions, bit-exact and cycle-exact, and enough of
/// those layers really segmented (a test that never segments would prove nothing).
/// </summary>
public sealed class RandomSegmentTests
{
    private static readonly EngineConfig[] Configs =
        [new(4, 8, segments: 2, banks: 16), new(16, 32, segments: 4, banks: 16), new(64, 64, segments: 4, banks: 8),
         new(8, 96, segments: 4, banks: 4), new(2, 8, segments: 8, banks: 64),
         new(8, 16, segments: 2, banks: 16, peGroups: 4), new(64, 64, segments: 4, banks: 16, peGroups: 2)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 48).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_layer_equals_the_reference_with_segments(int index)
    {
        var r = SeededRandom.For(1000 + index, "engine conv case");
        var (g, description) = RandomConvTests.RandomLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }

    public static IEnumerable<object[]> ResidualCases() => Enumerable.Range(0, 24).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(ResidualCases))]
    public void Random_residual_layer_equals_the_reference_with_segments(int index)
    {
        var r = SeededRandom.For(4000 + index, "engine residual case");
        var (g, description) = RandomResidualAddTests.RandomResidualLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }

    public static IEnumerable<object[]> OpCases() => Enumerable.Range(0, 96).Select(i => new object[] { i });

    /// <summary>Every engine operation (lane mode included: depthwise, pools, copies) on segmented engines.</summary>
    [Theory]
    [MemberData(nameof(OpCases))]
    public void Random_operation_equals_the_reference_with_segments(int index)
    {
        var (g, input, description) = RandomOpNetworks.Build(index);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }

    [Fact]
    public void Lane_mode_layers_run_segmented()
    {
        int segmented = 0;
        foreach (var index in Enumerable.Range(0, 96))
        {
            var (g, _, _) = RandomOpNetworks.Build(index);
            segmented += LoweringPipeline.Lower(g, Configs[2]).Layers.SelectMany(l => l.Descriptors).Count(d => d.LaneMode == 1 && d.Segments > 1);
        }
        Assert.True(segmented >= 30, $"{segmented} lane-mode program words segmented on {Configs[2]}");
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(9, 15)]
    [InlineData(8, 7)]
    public void Narrow_network_equals_the_reference_with_segments(int h, int w)
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Narrow(h, w), 9);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"narrow {h}x{w}");
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(9, 15)]
    public void Uneven_network_equals_the_reference_with_segments(int h, int w)
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Uneven(h, w), 9);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"uneven {h}x{w}");
    }

    public static IEnumerable<object[]> WideCases() => Enumerable.Range(0, 48).Select(i => new object[] { i });

    /// <summary>Layers over 33 to 100 channels: groups read in run blocks across blocks.</summary>
    [Theory]
    [MemberData(nameof(WideCases))]
    public void Random_wide_layer_equals_the_reference_with_segments(int index)
    {
        var (g, input, description) = RandomConvTests.WideLayer(index);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"wide case {index} ({description})");
    }

    [Theory]
    [InlineData(16, 16, 1)]
    [InlineData(9, 15, 1)]
    [InlineData(8, 7, 4)]
    public void Fewer_network_equals_the_reference_with_segments_and_pe_groups(int h, int w, int div)
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Fewer(h, w, div), 9);
        foreach (var config in Configs.Append(new EngineConfig(64, 64, segments: 8, banks: 32, peGroups: 4)))
            EngineCheck.AgainstReference(g, config, input, $"fewer {h}x{w} / {div}");
    }

    [Theory]
    [InlineData(32, 32, 1)]
    [InlineData(19, 13, 1)]
    [InlineData(17, 23, 4)]
    public void Strided_network_equals_the_reference_with_segments_and_pe_groups(int h, int w, int div)
    {
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Strided(h, w, div), 9);
        foreach (var config in Configs.Append(new EngineConfig(64, 64, segments: 8, banks: 32, peGroups: 4)))
            EngineCheck.AgainstReference(g, config, input, $"strided {h}x{w} / {div}");
    }

    [Fact]
    public void Many_random_layers_segment_at_stride_2()
    {
        // Program words whose beats compute several positions reading inputs sx > 1 apart.
        int strided = 0;
        var graphs = Enumerable.Range(0, 48).Select(i => RandomConvTests.RandomLayer(SeededRandom.For(1000 + i, "engine conv case")).Graph)
            .Concat(Enumerable.Range(0, 48).Select(i => RandomConvTests.WideLayer(i).Graph))
            .Concat(Enumerable.Range(0, 96).Select(i => RandomOpNetworks.Build(i).Graph));
        foreach (var g in graphs)
            foreach (var config in Configs)
                strided += LoweringPipeline.Lower(g, config).Layers.SelectMany(l => l.Descriptors).Count(d => d.Sx > 1 && d.Positions > 1);
        Assert.True(strided >= 40, $"{strided} strided program words compute several positions per beat");
    }

    [Fact]
    public void Many_wide_layers_read_run_blocks()
    {
        // Dense segmented program words whose tiles take more than one run block of S / G lanes
        // (strided, linear, too narrow and misaligned grouped layers do not segment: 20 of 240).
        int runBlocks = 0;
        foreach (var index in Enumerable.Range(0, 48))
            foreach (var config in Configs)
                runBlocks += LoweringPipeline.Lower(RandomConvTests.WideLayer(index).Graph, config).Layers.SelectMany(l => l.Parts)
                    .Count(p => p.Descriptor.LaneMode == 0 && p.Descriptor.Segments > 1 && p.Tiles.Any(t => t.Ncb > 1));
        Assert.True(runBlocks >= 16, $"{runBlocks} program words read run blocks");
    }

    [Fact]
    public void Many_random_layers_use_pe_groups()
    {
        // Dense program words whose tiles have at most P / Q output channels on the two engines with PE groups.
        var used = new Dictionary<int, int>();
        var graphs = Enumerable.Range(0, 48).Select(i => RandomConvTests.RandomLayer(SeededRandom.For(1000 + i, "engine conv case")).Graph)
            .Concat(Enumerable.Range(0, 24).Select(i => RandomResidualAddTests.RandomResidualLayer(SeededRandom.For(4000 + i, "engine residual case")).Graph))
            .Concat(Enumerable.Range(0, 48).Select(i => RandomConvTests.WideLayer(i).Graph));
        foreach (var g in graphs)
            foreach (var config in Configs.Where(c => c.PeGroups > 1))
                foreach (var d in LoweringPipeline.Lower(g, config).Layers.SelectMany(l => l.Descriptors))
                    used[d.PeGroups * 100 + d.Segments] = used.GetValueOrDefault(d.PeGroups * 100 + d.Segments) + 1;
        string seen = string.Join(", ", used.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} with Q = {kv.Key / 100}, G = {kv.Key % 100}"));
        int Count(Func<int, int, bool> which) => used.Where(kv => which(kv.Key / 100, kv.Key % 100)).Sum(kv => kv.Value);
        Assert.True(Count((q, _) => q == 2) >= 40 && Count((q, g) => q > 1 && g > 1) >= 8 && Count((q, _) => q == 4) >= 3, seen);
    }

    [Fact]
    public void Many_random_layers_run_segmented()
    {
        var used = new Dictionary<int, int>();
        var graphs = Enumerable.Range(0, 48).Select(i => RandomConvTests.RandomLayer(SeededRandom.For(1000 + i, "engine conv case")).Graph)
            .Concat(Enumerable.Range(0, 24).Select(i => RandomResidualAddTests.RandomResidualLayer(SeededRandom.For(4000 + i, "engine residual case")).Graph));
        foreach (var g in graphs)
        {
            foreach (var config in Configs)
                foreach (var d in LoweringPipeline.Lower(g, config).Layers.SelectMany(l => l.Descriptors))
                    used[d.Segments] = used.GetValueOrDefault(d.Segments) + 1;
        }
        string seen = string.Join(", ", used.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} with G = {kv.Key}"));
        Assert.True(used.GetValueOrDefault(2) >= 40 && used.GetValueOrDefault(4) >= 10 && used.GetValueOrDefault(8) >= 2, seen);
    }
}
