using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Lane mode: lane-mix (depthwise and strip convolutions, pools, upsampling, gates and the
/// copy passes of standalone elementwise ops and thresholds), with seeded random parameters
/// calibrated on a seeded random image, runs bit-exactly in the engine simulator for every
/// tested P x S, every layer in exactly the cycles the cycle model predicts.
/// </summary>
public sealed class LaneMixTests
{
    private const long Seed = 21;

    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(LaneMixModel.Name, Seed));

    internal static readonly string[] Tensors =
    [
        "stem.act", "dw.a.act", "strip.h.act", "strip.v.act", "dw.raw", "req", "add.s", "g1", "gated.a", "gb", "gated.b",
        "mp.b", "avg", "gsum", "ppm", "ppm.b", "up", "up.b", "up.i",
    ];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    [InlineData(3, 6)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "lane-mix");
        Assert.Equal(Tensors, run.Layers.Select(l => l.Tensor));
        // Everything after the stem runs in lane mode except the 1x1 gate convolutions.
        Assert.Equal(
            ["stem.conv", "g1.conv", "gb.conv"],
            program.Layers.Where(l => l.Descriptor.LaneMode == 0).Select(l => l.Source.Name));
        // mp.u carries the Add add.s (raw is stored first); the other gate and Add are copy passes.
        Assert.Equal(["mp.u", "mp.b"], program.Layers.Where(l => l.Descriptor.PoolMax == 1).Select(l => l.Source.Name));
        Assert.Equal(["dw.a", "mp.u"], program.Layers.Where(l => l.Source.Add is not null).Select(l => l.Source.Name));
        Assert.Equal(["dw.g", "gated.b"], program.Layers.Where(l => l.Descriptor.EwOp == LayerDescriptor.EwGate).Select(l => l.Source.Name));
        Assert.Equal(["req", "gated.b", "up.i"], program.Layers.Where(l => l.Descriptor.InSigned == 1).Select(l => l.Source.Name));
        // Parts: 16 bins, 4 bins, 2 x 3 and 2 x 2 and 2 x 2 output phases.
        Assert.Equal([("ppm.sum", 16), ("ppm.b", 4), ("up", 6), ("up.b", 4), ("up.i", 4)],
            program.Layers.Where(l => l.Parts.Count > 1).Select(l => (l.Source.Name, l.Parts.Count)));
    }
}
