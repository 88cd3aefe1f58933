using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Engine;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// The work that rides on the write-back, in the RTL:
/// - xcp-mix: cross-channel max pooling by 2 and 4 of U2 and B outputs, dense and grouped,
///   followed by layers reading the pooled tensors (only pooled tensors are stored);
/// - res-mix: residual Adds (U2, B, I(w) and U8 residuals read at write-back, shifted, in both
///   operand orders, thresholded, pooled or stored raw).
/// Each runs in Verilator for P x S in {4 x 8, 16 x 32, 64 x 64} and in Icarus for 4 x 8 and
/// 16 x 32, every stored tensor bit-exact with the reference model and every layer's cycles
/// equal to the cycle model.
/// </summary>
public sealed class WriteBackCosimTests
{
    public static TheoryData<string, int, int> VerilatorCases => new()
    {
        { "xcp-mix", 4, 8 }, { "xcp-mix", 16, 32 }, { "xcp-mix", 64, 64 },
        { "res-mix", 4, 8 }, { "res-mix", 16, 32 }, { "res-mix", 64, 64 },
    };

    public static TheoryData<string, int, int> IcarusCases => new()
    {
        { "xcp-mix", 4, 8 }, { "xcp-mix", 16, 32 },
        { "res-mix", 4, 8 }, { "res-mix", 16, 32 },
    };

    [Theory]
    [MemberData(nameof(VerilatorCases))]
    public void Verilator_equals_the_reference_and_the_cycle_model(string model, int p, int s) =>
        Check(model, p, s, SimulatorKind.Verilator);

    [Theory]
    [MemberData(nameof(IcarusCases))]
    public void Icarus_equals_the_reference_and_the_cycle_model(string model, int p, int s) =>
        Check(model, p, s, SimulatorKind.Icarus);

    private static void Check(string model, int p, int s, SimulatorKind kind)
    {
        var ((g, input), tensors) = Network(model);
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s));
        var report = CosimCheck.AgainstReference(g, program, input, kind, model);
        Assert.Equal(tensors, report.Layers.Select(l => l.Tensor));
    }

    private static ((Graph, TensorData), string[]) Network(string model) => model switch
    {
        "xcp-mix" => (XcpMixTests.Network.Value, XcpMixTests.Tensors),
        "res-mix" => (ResMixTests.Network.Value, ResMixTests.Tensors),
        _ => throw new ArgumentException(model),
    };
}
