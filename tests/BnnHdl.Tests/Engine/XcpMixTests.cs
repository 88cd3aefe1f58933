using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Cross-channel max pooling at write-back: xcp-mix, with seeded random parameters
/// calibrated on a seeded random image, runs bit-exactly in the engine simulator for every
/// tested P x S, every layer in exactly the cycles the cycle model predicts, and only the
/// pooled tensors are stored.
/// </summary>
public sealed class XcpMixTests
{
    private const long Seed = 11;

    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(XcpMixModel.Name, Seed));

    internal static readonly string[] Tensors = ["stem.pool", "down.pool", "group.pool", "mix.pool", "head.act", "fc"];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "xcp-mix");
        Assert.Equal(Tensors, run.Layers.Select(l => l.Tensor));
        Assert.Equal([1, 2, 2, 1, 0, 0], program.Layers.Select(l => l.Descriptor.XcpLog2));
        // The un-pooled thresholded tensors have no feature-memory region.
        Assert.DoesNotContain(program.Memory.Regions, r => r.Tensor.EndsWith(".act", StringComparison.Ordinal) && r.Tensor != "head.act");
        Assert.True(program.Dimensions.Units.HasFlag(EngineUnits.CrossChannelPool));
    }

    [Fact]
    public void Pooling_changes_the_values_it_stores()
    {
        // The pooled maxima must differ from simply keeping the first channel of each group
        // somewhere, or a write-back that skipped the comparators would pass; and every level
        // must occur in the pooled tensors.
        var (g, input) = Network.Value;
        var reference = ReferenceModel.Run(g, input);
        foreach (var (pool, act, group) in new[] { ("stem.pool", "stem.act", 2), ("down.pool", "down.act", 4), ("group.pool", "group.act", 4), ("mix.pool", "mix.act", 2) })
        {
            var pooled = reference[pool];
            var full = reference[act];
            int hw = full.Shape.Positions;
            bool firstDiffers = Enumerable.Range(0, pooled.Values.Count).Any(v => pooled.Values[v] != full.Values[(v / hw * group) * hw + v % hw]);
            bool lastDiffers = Enumerable.Range(0, pooled.Values.Count).Any(v => pooled.Values[v] != full.Values[(v / hw * group + group - 1) * hw + v % hw]);
            Assert.True(firstDiffers && lastDiffers, $"{pool} equals one channel of each group");
            var levels = pooled.Type.IsBipolar ? new long[] { -1, 1 } : Enumerable.Range(0, 1 << pooled.Type.Bits).Select(v => (long)v).ToArray();
            Assert.All(levels, level => Assert.Contains(level, pooled.Values));
        }
    }
}
