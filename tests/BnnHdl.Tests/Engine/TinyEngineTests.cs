using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// The zoo's tiny network (every op of SPEC section 3 in a SparseInst-like shape) runs
/// entirely on the engine: bit-exact in the simulator, every layer in its predicted cycles.
/// </summary>
public sealed class TinyEngineTests
{
    private static readonly Lazy<(Graph Graph, TensorData Input)> Network = new(() => SeededNetwork.FromZoo(TinyModel.Name, 31));

    [Theory]
    [InlineData(8, 16)]
    [InlineData(64, 64)]
    public void Every_layer_equals_the_reference_and_the_cycle_model(int p, int s)
    {
        var (g, input) = Network.Value;
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(p, s), input, "tiny");
        // Every network output is among the checked tensors.
        Assert.Subset(run.Layers.Select(l => l.Tensor).ToHashSet(), g.Outputs.ToHashSet());
        Assert.True(program.Dimensions.Units.HasFlag(EngineUnits.Broadcast));
    }
}
