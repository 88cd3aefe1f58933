using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// all-ops, the network chaining every operation, runs entirely on the engine: bit-exact in
/// the simulator, every layer in its predicted cycles, and every engine mode is used.
/// </summary>
public sealed class AllOpsTests
{
    internal static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(AllOpsModel.Name, 37));

    [Theory]
    [InlineData(4, 8)]
    [InlineData(64, 64)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "all-ops");
        Assert.Subset(run.Layers.Select(l => l.Tensor).ToHashSet(), g.Outputs.ToHashSet());
        var d = program.Layers.SelectMany(l => l.Descriptors).ToList();
        Assert.Contains(d, x => x.LaneMode == 1 && x.Kh == 5);
        Assert.Contains(d, x => x.LaneMode == 1 && x.Kh == 7 && x.Kw == 1 && x.ResKind != 0);
        Assert.Contains(d, x => x.EwOp == LayerDescriptor.EwGate);
        Assert.Contains(d, x => x.EwOp == LayerDescriptor.EwAdd && x.ResKind == LayerDescriptor.ResUnsigned && x.LaneMode == 0);
        Assert.Contains(d, x => x.PoolMax == 1);
        Assert.Contains(d, x => x.XcpLog2 == 1);
        Assert.Contains(d, x => x.InSigned == 1);
        Assert.Equal(2, program.Layers.Count(l => l.Descriptor.Bcast == 1 && l.Source.TransposeOf is null));
        Assert.Equal(4, program.Memory.Views.Count(v => v.Tensor is "ppm.cat" or "coord") + 2);
        Assert.Equal(36 + 9 + 4 + 1, program.Layers.Where(l => l.Source.Dot.SourceOp == "AdaptiveSumPool").Sum(l => l.Parts.Count));
    }
}
