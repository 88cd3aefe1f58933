using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Tests.Zoo;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// MSCAN + SparseInst in the RTL: the reduced MSCAN-T network (<see cref="MscanSparseInstTests.Reduced"/>,
/// 64 x 64, width 32, 8 instances; 421,864 cycles at 16 x 32) in Verilator on two engines,
/// and the miniature of the same structure (<see cref="MscanSparseInstTests.Mini"/>; 24,813
/// cycles) in Icarus: every stored tensor bit-exact against the reference, every layer's
/// cycles as the cycle model predicts.
/// </summary>
public sealed class MscanSparseInstCosimTests
{
    [Fact]
    public void Reduced_network_in_verilator()
    {
        var (g, input) = MscanSparseInstTests.Reduced.Value;
        var config = new EngineConfig(16, 32, segments: 4, banks: 32);
        var program = LoweringPipeline.Lower(g, config);
        // The vertical strips with the attention sums fused walk their columns (13 blocks x 3).
        Assert.Equal(13 * 3, program.Layers.Count(l => l.Descriptor.Vert == 1 && l.Descriptor.ResKind != 0));
        CosimCheck.AgainstReference(g, program, input, SimulatorKind.Verilator, $"mscan-t-sparseinst 64x64 on {config}");
    }

    /// <summary>
    /// CI runs make test, not make run: this puts the RTL of make run's engine (64 x 64, 16
    /// segments, 32 banks) in the suite, on the reduced network.
    /// </summary>
    [Fact]
    public void Reduced_network_on_the_engine_make_run_builds_in_verilator()
    {
        var (g, input) = MscanSparseInstTests.Reduced.Value;
        var config = new EngineConfig(64, 64, segments: 16, banks: 32);
        CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Verilator, $"mscan-t-sparseinst 64x64 on {config}");
    }

    [Fact]
    public void Miniature_network_in_icarus()
    {
        var (g, input) = MscanSparseInstTests.Mini.Value;
        var config = new EngineConfig(8, 16, segments: 2, banks: 16);
        CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"mini mscan-sparseinst 32x32 on {config}");
    }
}
