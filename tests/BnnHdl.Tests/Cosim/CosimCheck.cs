using BnnHdl.Cosim;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Emit;
using Xunit.Sdk;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Runs a lowered program in an RTL simulator and requires every layer's stored output to
/// equal the reference model bit for bit, and every layer's and the run's cycles to equal
/// the cycle model. Builds are cached in the test output folder, so a rerun of the tests
/// does not rebuild unchanged RTL.
/// </summary>
internal static class CosimCheck
{
    public static BuildCache Cache { get; } = new(Path.Combine(AppContext.BaseDirectory, "cosim-cache"));

    public static CosimReport AgainstReference(Graph g, LoweredProgram program, TensorData input, SimulatorKind kind, string description)
    {
        using var dir = new TempFolder();
        var report = Cosimulation.Run(program, input, kind, Path.Combine(dir.Path, "rtl"), new CosimOptions { Cache = Cache, MaxCycles = 2_000_000 });
        var reference = ReferenceModel.Run(g, input);
        string what = $"{description} on {program.Config} in {kind}";
        Assert.Equal(program.Layers.Count, report.Layers.Count);
        for (int k = 0; k < report.Layers.Count; k++)
        {
            var layer = report.Layers[k];
            Assert.Equal(k, layer.Id);
            var want = reference[layer.Tensor];
            if (layer.Output != want)
            {
                int i = Enumerable.Range(0, want.Values.Count).First(v => layer.Output.Values[v] != want.Values[v]);
                int hw = want.Shape.Positions;
                throw new XunitException(
                    $"{what}: '{layer.Tensor}' value {i} (c={i / hw} y={i % hw / want.Shape.W} x={i % want.Shape.W}) is {layer.Output.Values[i]}, reference {want.Values[i]}");
            }
            if (layer.Cycles != layer.PredictedCycles)
                throw new XunitException($"{what}: layer '{layer.Name}' took {layer.Cycles} cycles, the model predicts {layer.PredictedCycles}");
        }
        Assert.Equal(report.PredictedRunCycles, report.RunCycles);
        return report;
    }
}
