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
        // Every program layer once, in order (a Concat view is reported with the layer that completes it).
        Assert.Equal(program.Layers.Count + program.Memory.Views.Count, report.Layers.Count);
        Assert.Equal(Enumerable.Range(0, program.Layers.Count), report.Layers.Select(l => l.Id).Distinct());
        var verdict = CosimVerdict.Of(report, reference, program);
        if (!verdict.Passed)
            throw new XunitException($"{description} on {program.Config} in {kind}:\n{verdict.Format()}");
        return report;
    }
}
