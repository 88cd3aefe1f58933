using BnnHdl.Cosim;
using BnnHdl.Tests.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Acceptance of the engine RTL: dense-mix (every datapath case of engine v1: U8/U2/B
/// inputs, both weight modes, -1 and +1 padding, groups straddling a word, strides, a raw
/// classifier), lowered for P x S in {4 x 8, 16 x 32, 64 x 64}, runs in Verilator and in
/// Icarus with every layer's output bit-exact with the reference model and every layer's
/// cycles equal to the cycle model. 8 x 96 adds FM words wider than 64 bits (the
/// Verilator harness reads them as VlWide).
/// </summary>
public sealed class DenseMixCosimTests
{
    private const long Seed = 7;

    private static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(DenseMixModel.Name, Seed));

    private static readonly string[] Tensors = ["stem.act", "down.act", "group.act", "mix.act", "reduce.act", "head.act", "fc"];

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    [InlineData(8, 96)]
    public void Verilator_equals_the_reference_and_the_cycle_model(int p, int s) => Check(p, s, SimulatorKind.Verilator);

    // Icarus at 64 x 64 takes minutes; Verilator covers that size.
    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    public void Icarus_equals_the_reference_and_the_cycle_model(int p, int s) => Check(p, s, SimulatorKind.Icarus);

    private static void Check(int p, int s, SimulatorKind kind)
    {
        var (g, input) = Network.Value;
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s));
        var report = CosimCheck.AgainstReference(g, program, input, kind, "dense-mix");
        Assert.Equal(Tensors, report.Layers.Select(l => l.Tensor));
    }
}
