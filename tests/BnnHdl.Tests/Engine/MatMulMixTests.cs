using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Act x act products: matmul-mix, with seeded random parameters calibrated on a seeded
/// random image, runs bit-exactly in the engine simulator for every tested P x S, every
/// layer in exactly the cycles the cycle model predicts; transposed left operands are
/// transposed by an identity product that stores exactly the transposed tensor.
/// </summary>
public sealed class MatMulMixTests
{
    private const long Seed = 29;

    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(MatMulMixModel.Name, Seed));

    internal static readonly string[] Layers =
    [
        "f.conv:f", "iam.conv:iam", "inst.mm:inst", "iam.mm:iam.mm", "kern.b.conv:kern.b", "kern.u.conv:kern.u", "fb.conv:fb",
        "mask.t:mask.t", "mask:mask", "mask.b.t:mask.b.t", "mask.b:mask.b",
    ];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    [InlineData(2, 6)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "matmul-mix");
        Assert.Equal(Layers, run.Layers.Select(l => l.Name + ":" + l.Tensor));
        Assert.Equal([("inst.mm", 0), ("iam.mm", 0), ("mask.t", 0), ("mask", 1), ("mask.b.t", 0), ("mask.b", 1)],
            program.Layers.Where(l => l.Descriptor.Bcast == 1).Select(l => (l.Source.Name, l.Descriptor.BcPerTap)));
    }
}
