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

    [Fact]
    public void Segmented_products_compute_several_columns_per_beat_bit_exactly()
    {
        // G columns per beat (docs/engine.md "Segments for products"): as many as the write of
        // G outputs fits one access of the banks, (G - 1) out_k + 1 <= B. On 4 x 8 with 4
        // segments and 16 banks: the U2 outputs (inst.mm: 1 x 6, its last group of 4 short),
        // the B and U2 transposes take 4; the I9 and I6 raw outputs 2.
        var (g, input) = Network.Value;
        var (program, _) = EngineCheck.AgainstReference(g, new EngineConfig(4, 8, segments: 4, banks: 16), input, "matmul-mix segmented");
        Assert.Equal([("inst.mm", 2), ("iam.mm", 1), ("mask.t", 2), ("mask", 1), ("mask.b.t", 2), ("mask.b", 1)],
            program.Layers.Where(l => l.Descriptor.Bcast == 1).Select(l => (l.Source.Name, l.Descriptor.SegLog2)));
        // With 32 banks the I9 and I6 outputs allow 4 (3 x 9 + 1 <= 32 < 7 x 6 + 1), the U2 and
        // B ones all 8 segments (inst.mm's one group of 8 for its 6 columns).
        var (wide, _) = EngineCheck.AgainstReference(g, new EngineConfig(16, 32, segments: 8, banks: 32), input, "matmul-mix segmented");
        Assert.Equal([("inst.mm", 3), ("iam.mm", 2), ("mask.t", 3), ("mask", 2), ("mask.b.t", 3), ("mask.b", 2)],
            wide.Layers.Where(l => l.Descriptor.Bcast == 1).Select(l => (l.Source.Name, l.Descriptor.SegLog2)));
    }

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
