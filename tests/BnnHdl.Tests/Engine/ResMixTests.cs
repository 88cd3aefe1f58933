using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Residual Adds at write-back: res-mix, with seeded random parameters calibrated on a
/// seeded random image, runs bit-exactly in the engine simulator for every tested P x S,
/// every layer in exactly the cycles the cycle model predicts; the Adds' operands are
/// read as U2, B, I(w) and U8 tensors, and the thresholded sums are never stored.
/// </summary>
public sealed class ResMixTests
{
    private const long Seed = 13;

    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(ResMixModel.Name, Seed));

    internal static readonly string[] Tensors = ["stem.act", "b1.act", "b2.bin", "b2.act", "b3.skip", "b3.pool", "fc.add", "tail.add"];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "res-mix");
        Assert.Equal(Tensors, run.Layers.Select(l => l.Tensor));
        Assert.Equal(
            [LayerDescriptor.ResNone, LayerDescriptor.ResUnsigned, LayerDescriptor.ResNone, LayerDescriptor.ResBipolar,
             LayerDescriptor.ResNone, LayerDescriptor.ResSigned, LayerDescriptor.ResUnsigned, LayerDescriptor.ResUnsigned],
            program.Layers.Select(l => l.Descriptor.ResKind));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], program.Layers.Select(l => l.Descriptor.Sa));
        Assert.Equal([0, 2, 0, 1, 0, 1, 3, 0], program.Layers.Select(l => l.Descriptor.Sb));
        // The thresholded sums live only in the PEs.
        Assert.DoesNotContain(program.Memory.Regions, r => r.Tensor is "b1.add" or "b2.add" or "b3.add" or "b3.act");
        Assert.True(program.Dimensions.Units.HasFlag(EngineUnits.ResidualAdd));
    }

    [Fact]
    public void The_residual_changes_the_values_the_layers_store()
    {
        // Each raw sum differs from its accumulator alone, so a write-back that skipped the
        // residual could not pass.
        var (g, input) = Network.Value;
        var reference = ReferenceModel.Run(g, input);
        foreach (var (sum, acc) in new[] { ("b1.add", "b1.conv"), ("b2.add", "b2.conv"), ("b3.add", "b3.conv"), ("fc.add", "fc"), ("tail.add", "tail.conv") })
            Assert.NotEqual(reference[acc].Values, reference[sum].Values);
        // Every level of the thresholded residual blocks occurs.
        Assert.All(new long[] { 0, 1, 2, 3 }, v => Assert.Contains(v, reference["b1.act"].Values));
        Assert.All(new long[] { -1, 1 }, v => Assert.Contains(v, reference["b2.act"].Values));
    }
}
