using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using Xunit.Sdk;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Lowers a network, runs the engine simulator and the reference model on one input, and
/// requires every engine layer's stored output to equal the reference tensor and every
/// layer's counted cycles to equal the cycle model's prediction.
/// </summary>
internal static class EngineCheck
{
    public static (LoweredProgram Program, EngineRun Run) AgainstReference(Graph g, EngineConfig config, TensorData input, string description)
    {
        var program = LoweringPipeline.Lower(g, config);
        var run = EngineSimulator.Run(program, input);
        var reference = ReferenceModel.Run(g, input);
        var predicted = CycleModel.Predict(program);
        // Every program layer once, in order, and each Concat view after the layer that completes it.
        Assert.Equal(Enumerable.Range(0, program.Layers.Count), run.Layers.Where(l => l.LayerId is not null).Select(l => l.LayerId!.Value));
        Assert.Equal(program.Memory.Views.Count, run.Layers.Count(l => l.LayerId is null));
        foreach (var layer in run.Layers)
        {
            var want = program.Expected(reference, layer.Tensor);
            if (layer.Output != want)
            {
                if (layer.Output.Shape != want.Shape || layer.Output.Type != want.Type)
                    throw new XunitException($"{description} on {config}: '{layer.Tensor}' is {layer.Output.Shape} {layer.Output.Type}, reference {want.Shape} {want.Type}");
                int i = Enumerable.Range(0, want.Values.Count).First(v => layer.Output.Values[v] != want.Values[v]);
                int hw = want.Shape.Positions;
                throw new XunitException(
                    $"{description} on {config}: '{layer.Tensor}' value {i} (c={i / hw} y={i % hw / want.Shape.W} x={i % want.Shape.W}) is {layer.Output.Values[i]}, reference {want.Values[i]}\n{g.Dump()}");
            }
            long expectedCycles = layer.LayerId is { } id ? predicted.Layers[id] : 0;
            if (layer.Cycles != expectedCycles)
                throw new XunitException($"{description} on {config}: layer '{layer.Name}' took {layer.Cycles} cycles, the model predicts {expectedCycles}");
        }
        Assert.Equal(predicted.Total, run.TotalCycles);
        return (program, run);
    }
}
