using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Cosim;

/// <summary>
/// Reads what a harness recorded (testbench/main.cpp, testbench/tb_icarus.v): cosim.log
/// ("layer &lt;id&gt; cycles &lt;n&gt;" per layer in run order, then "run cycles &lt;n&gt;")
/// and layer_&lt;id&gt;.memh per layer. A failed run (non-zero exit, a FAIL line or no run
/// line) is an error quoting the harness.
/// </summary>
internal static class CosimLog
{
    public static CosimResult Read(SimulatorKind kind, string outDir, ToolOutput output, bool built)
    {
        string logPath = Path.Combine(outDir, "cosim.log");
        var lines = File.Exists(logPath) ? File.ReadAllLines(logPath) : [];
        string? failure = lines.FirstOrDefault(l => l.StartsWith("FAIL", StringComparison.Ordinal));
        string name = kind.ToString().ToLowerInvariant();
        if (failure != null) throw new BnnHdlException($"{name} co-simulation failed: {failure["FAIL: ".Length..]}");
        if (output.ExitCode != 0) throw new BnnHdlException($"{name} co-simulation failed (exit code {output.ExitCode}):\n{output.Tail()}");

        var layers = new List<CosimLayer>();
        long? runCycles = null;
        foreach (string line in lines)
        {
            var f = line.Split(' ');
            if (f.Length == 4 && f[0] == "layer" && f[2] == "cycles")
            {
                int id = int.Parse(f[1], CultureInfo.InvariantCulture);
                string dump = Path.Combine(outDir, $"layer_{id}.memh");
                if (!File.Exists(dump)) throw new BnnHdlException($"{name} co-simulation wrote no {Path.GetFileName(dump)}");
                var words = File.ReadAllLines(dump).Where(w => w.Length > 0).ToEquatableArray();
                layers.Add(new CosimLayer(id, long.Parse(f[3], CultureInfo.InvariantCulture), words));
            }
            else if (f.Length == 3 && f[0] == "run" && f[1] == "cycles")
            {
                runCycles = long.Parse(f[2], CultureInfo.InvariantCulture);
            }
            else
            {
                throw new BnnHdlException($"{name} co-simulation log line not understood: '{line}'");
            }
        }
        if (runCycles == null) throw new BnnHdlException($"{name} co-simulation ended without a run line:\n{output.Tail()}");
        return new CosimResult(kind, layers.ToEquatableArray(), runCycles.Value, built);
    }
}
