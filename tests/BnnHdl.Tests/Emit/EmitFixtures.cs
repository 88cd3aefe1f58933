using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Zoo;

using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Emit;

/// <summary>Networks the emitter tests lower: dense-mix and a two-layer network small enough to read its generated files.</summary>
internal static class EmitFixtures
{
    private const long Seed = 7;

    private static readonly Lazy<(Graph Graph, TensorData Input)> DenseMixNetwork = new(() => SeededNetwork.FromZoo(DenseMixModel.Name, Seed));

    private static readonly Lazy<(Graph Graph, TensorData Input)> SmallNetwork = new(() =>
    {
        var b = new NetworkBuilder("small");
        var x = b.Input(3, 6, 6);
        var act = b.MultiThreshold(b.Conv2d(x, 6, 3, pad: 1, name: "conv"), DataType.U(2), name: "act");
        b.Output(b.Conv2d(act, 5, 1, weights: WeightType.Unipolar, bias: true, name: "score"));
        return SeededNetwork.Prepare(b.Build(), Seed);
    });

    public static (Graph Graph, TensorData Input) DenseMix => DenseMixNetwork.Value;
    public static (Graph Graph, TensorData Input) Small => SmallNetwork.Value;

    public static LoweredProgram Lower((Graph Graph, TensorData Input) network, int p, int s) =>
        LoweringPipeline.Lower(network.Graph, new EngineConfig(p, s));
}
