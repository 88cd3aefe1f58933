using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Engine;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Whole networks in the RTL, each built to exercise a part of the engine:
/// - xcp-mix: cross-channel max pooling by 2 and 4 of U2 and B outputs at write-back, dense
///   and grouped, followed by layers reading the pooled tensors (only those are stored);
/// - res-mix: residual Adds (U2, B, I(w) and U8 residuals read at write-back, shifted, in
///   both operand orders, thresholded, pooled or stored raw);
/// - lane-mix: depthwise 3x3 / 5x5 / 7x7 and strip 1xK / Kx1 convolutions with dilation in
///   lane mode, max pooling, sum and adaptive pooling (multi-part layers), nearest
///   upsampling (strided output grids), gating Mul, standalone Add, Mul and MultiThreshold
///   copy passes, signed I(w) inputs;
/// - view-mix: Concat and CoordChannels as views (operands written in place, copies);
/// - matmul-mix: activation x activation products (broadcast operand per tap and per
///   position, transposed left operands through an identity product);
/// - all-ops: every operation chained;
/// - xcp-stored: cross-channel pools of stored tensors (requantizing copies pooled at write-back);
/// - bsum: sum pooling of a padded B input (inside_count);
/// - dense64: dense layers sized for 64 x 64, where the write-back hides under the beats
///   (the high-utilization path: positions back to back, ST_WAIT never taken).
/// Each runs in Verilator and Icarus, every stored tensor bit-exact with the reference
/// model and every layer's cycles equal to the cycle model.
/// </summary>
public sealed class NetworkCosimTests
{
    public static TheoryData<string, int, int> VerilatorCases => new()
    {
        // 64 x 64 builds are the suite's cost: the networks that chain every mode (lane-mix,
        // all-ops) run there, the dense one at 32 x 64 (dense-mix runs at 64 x 64 in make run
        // and DenseMixCosimTests); the others at 4 x 8 and 16 x 32 (lane-mix at 16 x 32 with
        // segments, in SegmentCosimTests).
        { "xcp-mix", 4, 8 }, { "xcp-mix", 16, 32 },
        { "res-mix", 4, 8 }, { "res-mix", 16, 32 },
        { "lane-mix", 4, 8 }, { "lane-mix", 64, 64 },
        { "view-mix", 4, 8 }, { "view-mix", 16, 32 },
        { "matmul-mix", 4, 8 }, { "matmul-mix", 16, 32 },
        { "all-ops", 4, 8 }, { "all-ops", 64, 64 },
        { "dense64", 32, 64 }, { "bsum", 16, 32 },
    };

    public static TheoryData<string, int, int> IcarusCases => new()
    {
        { "xcp-mix", 4, 8 }, { "xcp-mix", 16, 32 }, { "res-mix", 4, 8 }, { "res-mix", 16, 32 },
        { "lane-mix", 4, 8 }, { "view-mix", 4, 8 }, { "matmul-mix", 4, 8 }, { "matmul-mix", 3, 6 },
        { "xcp-stored", 4, 8 }, { "bsum", 4, 8 }, { "bsum", 3, 6 },
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
        var (g, input) = Network(model);
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s));
        var report = CosimCheck.AgainstReference(g, program, input, kind, model);
        // The write-back networks store only the tensors they are built around (pooled ones, sums).
        if (model == "xcp-mix") Assert.Equal(XcpMixTests.Tensors, report.Layers.Select(l => l.Tensor));
        if (model == "res-mix") Assert.Equal(ResMixTests.Tensors, report.Layers.Select(l => l.Tensor));
    }

    private static (Graph, TensorData) Network(string model) => model switch
    {
        "xcp-mix" => XcpMixTests.Network.Value,
        "res-mix" => ResMixTests.Network.Value,
        "lane-mix" => LaneMixTests.Network.Value,
        "view-mix" => ViewMixTests.Network.Value,
        "matmul-mix" => MatMulMixTests.Network.Value,
        "all-ops" => AllOpsTests.Network.Value,
        "xcp-stored" => (BnnHdl.Tests.Lowering.LegalizeTests.StandalonePools(),
            BnnHdl.Tests.Reference.RandomCases.Tensor(BnnHdl.Quant.SeededRandom.For(7, "xcp-stored input"), new Shape(4, 4, 4), DataType.U(8))),
        "bsum" => (PaddedBipolarSumTests.Network(),
            BnnHdl.Tests.Reference.RandomCases.Tensor(BnnHdl.Quant.SeededRandom.For(12, "bsum input"), new Shape(5, 5, 6), DataType.B)),
        "dense64" => BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Dense64(), 5),
        _ => throw new ArgumentException(model),
    };
}
