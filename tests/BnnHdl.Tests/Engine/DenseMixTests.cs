using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Acceptance of engine v1: dense-mix, with seeded random parameters calibrated on a seeded
/// random image, runs bit-exactly in the engine simulator for every tested P x S, and every
/// layer takes exactly the cycles the cycle model predicts.
/// </summary>
public sealed class DenseMixTests
{
    private const long Seed = 7;

    private static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(DenseMixModel.Name, Seed));

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "dense-mix");
        Assert.Equal(7, run.Layers.Count);
        Assert.Equal(["stem.act", "down.act", "group.act", "mix.act", "reduce.act", "head.act", "fc"], run.Layers.Select(l => l.Tensor));
    }

    [Fact]
    public void The_random_parameters_make_every_output_level_occur()
    {
        // A comparison is only as good as its data: outputs stuck at one level would hide
        // threshold and write-back bugs.
        var (g, input) = Network.Value;
        var reference = ReferenceModel.Run(g, input);
        foreach (var name in new[] { "stem.act", "down.act", "group.act", "mix.act", "reduce.act" })
        {
            var t = reference[name];
            var levels = t.Type.IsBipolar ? new long[] { -1, 1 } : Enumerable.Range(0, 1 << t.Type.Bits).Select(v => (long)v).ToArray();
            Assert.All(levels, level => Assert.Contains(level, t.Values));
        }
    }
}
