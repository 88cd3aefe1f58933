using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random multi-layer graphs (branches, tensors read by several layers, several
/// outputs), so feature-memory regions are reused while other tensors stay live and stale
/// lanes of reused words must be masked: every layer must still equal the reference.
/// </summary>
public sealed class RandomNetworkTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 12).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_graph_equals_the_reference(int seed)
    {
        var (g, input) = Build(seed);
        foreach (var config in new[] { new EngineConfig(4, 8), new EngineConfig(16, 32), new EngineConfig(2, 128) })
            EngineCheck.AgainstReference(g, config, input, $"graph {seed}");
    }

    [Fact]
    public void The_random_graphs_reuse_feature_memory_and_branch()
    {
        int reusing = 0, branching = 0;
        foreach (int seed in Enumerable.Range(0, 12))
        {
            var (g, _) = Build(seed);
            var memory = BnnHdl.Lowering.LoweringPipeline.Lower(g, new EngineConfig(4, 8)).Memory;
            if (memory.Regions.Any(p => memory.Regions.Any(q => q != p && p.Base < q.Limit && q.Base < p.Limit))) reusing++;
            if (g.Layers.SelectMany(l => l.Inputs).GroupBy(n => n).Any(n => n.Count() > 1)) branching++;
        }
        Assert.True(reusing >= 6 && branching >= 6, $"{reusing} graphs reuse words, {branching} branch");
    }

    private static (Graph, BnnHdl.Reference.TensorData) Build(int seed)
    {
        var r = SeededRandom.For(seed, "engine network");
        var b = new NetworkBuilder("graph");
        var tensors = new List<TensorInfo> { b.Input(Between(r, 1, 12), Between(r, 3, 7), Between(r, 3, 7), AnyQuantized(r)) };
        TensorInfo? raw = null;
        for (int i = 0; i < 6; i++)
        {
            var from = Pick(r, tensors.ToArray());
            int k = Between(r, 1, 3);
            int? padValue = from.Type.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
            int groups = Pick(r, Enumerable.Range(1, from.Shape.C).Where(g => from.Shape.C % g == 0).ToArray());
            var conv = b.Conv2d(from, groups * Between(r, 1, 6), k, stride: Between(r, 1, 2), pad: k / 2, groups: groups,
                weights: r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar, padValue: padValue, bias: r.NextBool());
            if (i == 5 || r.Next(0, 4) == 0) { raw = conv; break; }
            tensors.Add(b.MultiThreshold(conv, AnyQuantized(r)));
        }
        b.Output([.. new[] { tensors[^1], tensors[tensors.Count / 2] }.Distinct(), .. raw is null ? Array.Empty<TensorInfo>() : [raw]]);
        var g = FillParameters(b.Build(), r);
        return (g, Tensor(r, g.Input.Output.Shape, g.Input.Output.Type));
    }
}
