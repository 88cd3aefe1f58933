using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Support;

/// <summary>
/// A network ready to run, as the command line prepares one: a seeded random input, and
/// every missing parameter filled from the same seed (thresholds calibrated on that input).
/// </summary>
internal static class SeededNetwork
{
    public static (Graph Graph, TensorData Input) Prepare(Graph g, long seed)
    {
        var input = InputImages.Random(g.Input.Output, seed);
        return (RandomParameters.Fill(g, input, seed), input);
    }

    public static (Graph Graph, TensorData Input) FromZoo(string model, long seed) => Prepare(ModelZoo.Build(model), seed);
}
