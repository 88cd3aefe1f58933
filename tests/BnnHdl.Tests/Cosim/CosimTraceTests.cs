using BnnHdl.Cosim;
using BnnHdl.Tests.Emit;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// Waveform tracing (<see cref="CosimOptions.TracePath"/>): a traced run of dense-mix on
/// 4 x 8 writes a VCD where it was asked (a path relative to the current directory, while
/// the simulator runs in the RTL folder), the VCD declares the engine's layer_done and
/// shows one pulse per layer, and the layers and cycles equal those of an untraced run.
/// The untraced run goes first in the same cache: a traced Verilator run that reused the
/// untraced build would be refused by the harness (it has no tracing code), so the traced
/// build must have a key of its own; Icarus traces its one build.
/// </summary>
public sealed class CosimTraceTests
{
    [Theory]
    [InlineData(SimulatorKind.Icarus)]
    [InlineData(SimulatorKind.Verilator)]
    public void A_traced_run_writes_a_vcd_and_changes_no_result(SimulatorKind kind)
    {
        using var dir = new TempFolder();
        var network = EmitFixtures.DenseMix;
        var program = EmitFixtures.Lower(network, 4, 8);
        var options = new CosimOptions { Cache = CosimCheck.Cache };
        var plain = Cosimulation.Run(program, network.Input, kind, Path.Combine(dir.Path, "plain"), options);

        // A folder below the current directory: unresolved, the relative path would land in the RTL folder.
        string relative = Path.Combine($"cosim-trace-{Guid.NewGuid():N}", "run.vcd");
        string vcd = Path.GetFullPath(relative);
        try
        {
            var traced = Cosimulation.Run(program, network.Input, kind, Path.Combine(dir.Path, "traced"),
                options with { TracePath = relative });
            Assert.Equal(plain.Layers, traced.Layers);
            Assert.Equal(plain.RunCycles, traced.RunCycles);
            if (kind == SimulatorKind.Icarus) Assert.False(traced.Built);
            Assert.False(File.Exists(Path.Combine(dir.Path, "traced", relative)));
            CheckVcd(vcd, plain.Layers.Count);
        }
        finally
        {
            string folder = Path.GetDirectoryName(vcd)!;
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A VCD header, layer_done declared, and one pulse of it per layer.</summary>
    private static void CheckVcd(string vcd, int layers)
    {
        Assert.True(File.Exists(vcd), $"no trace at {vcd}");
        var lines = File.ReadAllLines(vcd);
        Assert.Matches(@"^\$(date|version|timescale)\b", lines[0]);
        int definitionsEnd = Array.FindIndex(lines, l => l.Contains("$enddefinitions", StringComparison.Ordinal));
        Assert.True(definitionsEnd > 0, "the VCD has no $enddefinitions");
        Assert.Contains(lines[..definitionsEnd], l => l.Contains("$timescale", StringComparison.Ordinal));

        string code = SignalCode(lines[..definitionsEnd], "layer_done");
        int rises = lines[definitionsEnd..].Count(l => l == "1" + code);
        Assert.Equal(layers, rises);
    }

    /// <summary>The identifier code of the first 1-bit signal named <paramref name="name"/> ("$var wire 1 &lt;code&gt; &lt;name&gt; $end").</summary>
    private static string SignalCode(string[] definitions, string name)
    {
        foreach (string line in definitions)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 6 && f[0] == "$var" && f[2] == "1" && f[4] == name && f[5] == "$end") return f[3];
        }
        throw new Xunit.Sdk.XunitException($"the VCD declares no 1-bit signal {name}");
    }
}
