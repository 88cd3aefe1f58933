using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Tests.Engine;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Residual Adds in the RTL: res-mix (U2, B, I(w) and U8 residuals read at write-back, shifted,
/// in both operand orders, thresholded, pooled or stored raw) runs in Verilator for
/// P x S in {4 x 8, 16 x 32, 64 x 64} and in Icarus for 4 x 8 and 16 x 32, every stored
/// tensor bit-exact with the reference model and every layer's cycles equal to the
/// cycle model.
/// </summary>
public sealed class ResMixCosimTests
{
    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    public void Verilator_equals_the_reference_and_the_cycle_model(int p, int s) => Check(p, s, SimulatorKind.Verilator);

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    public void Icarus_equals_the_reference_and_the_cycle_model(int p, int s) => Check(p, s, SimulatorKind.Icarus);

    private static void Check(int p, int s, SimulatorKind kind)
    {
        var (g, input) = ResMixTests.Network.Value;
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s));
        var report = CosimCheck.AgainstReference(g, program, input, kind, "res-mix");
        Assert.Equal(ResMixTests.Tensors, report.Layers.Select(l => l.Tensor));
    }
}
