using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Concat and CoordChannels as views: view-mix, with seeded random parameters calibrated on
/// a seeded random image, runs bit-exactly in the engine simulator for every tested P x S
/// (including ones where the Concat offsets straddle words), every layer in exactly the
/// cycles the cycle model predicts; operands written in place are never copied.
/// </summary>
public sealed class ViewMixTests
{
    private const long Seed = 23;

    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(ViewMixModel.Name, Seed));

    /// <summary>Program layers as (layer, the tensor it must store), Concat views after the layer completing them.</summary>
    internal static readonly string[] Layers =
    [
        "a.conv:a", "c.conv:c", "p.conv:p", "cat1.copy3:a", "cat1:cat1", "dw:dw.act", "res.conv:res",
        "coord.copy1:coord.xy", "coord:coord", "bin.conv:bin", "cat2.copy1:coord", "cat2:cat2", "head.conv:head",
        "tail.conv:tail", "cat3:cat3", "cat4.max:cat4.max", "cat4.up:cat4.up", "out:out", "cat4.copy0:input", "cat4:cat4",
    ];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    [InlineData(2, 6)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "view-mix");
        Assert.Equal(Layers, run.Layers.Select(l => l.Name + ":" + l.Tensor));
        // Copies only for a repeated operand, the coordinate constants, a nested Concat and the input.
        Assert.Equal(["cat1.copy3", "coord.copy1", "cat2.copy1", "cat4.copy0"],
            program.Layers.Where(l => l.Source.Dot.SourceOp == "Concat").Select(l => l.Source.Name));
        Assert.Equal([0, 5, 12, 16, 21, 3, 3, 6], new[] { "a", "c", "p", "cat1.copy3", "coord.copy1", "cat2.copy1", "cat4.up", "tail" }
            .Select(t => program.Memory.Region(t).C0));
    }
}
