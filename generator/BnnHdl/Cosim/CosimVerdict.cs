using BnnHdl.Lowering;
using System.Globalization;
using System.Text;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Cosim;

/// <summary>The first differing value of a layer: where, what the reference says, what the RTL stored.</summary>
public sealed record Mismatch(int Channel, int Y, int X, long Expected, long Got, long DifferingValues);

/// <summary>One layer's verdict: bit-exact or its first mismatch, and measured against predicted cycles.</summary>
public sealed record LayerVerdict(string Name, string Tensor, Mismatch? Mismatch, long Cycles, long PredictedCycles)
{
    public bool BitExact => Mismatch is null;
    public bool CyclesMatch => Cycles == PredictedCycles;
    public bool Passed => BitExact && CyclesMatch;
}

/// <summary>
/// Compares a co-simulation with the reference model, layer by layer (a read-only
/// analysis): every engine layer's output against the reference tensor of the same name,
/// and every measured cycle count against the cycle model.
/// </summary>
public sealed record CosimVerdict(
    SimulatorKind Simulator, EquatableArray<LayerVerdict> Layers, long RunCycles, long PredictedRunCycles, EquatableArray<CosimSeam> Seams = default)
{
    public bool Passed => Layers.All(l => l.Passed) && RunCycles == PredictedRunCycles && Seams.All(s => s.Matches);

    public static CosimVerdict Of(CosimReport report, ReferenceRun reference, LoweredProgram program) => new(
        report.Simulator,
        report.Layers.Select(l => new LayerVerdict(l.Name, l.Tensor, FirstMismatch(program.Expected(reference, l.Tensor), l.Output), l.Cycles, l.PredictedCycles))
            .ToEquatableArray(),
        report.RunCycles, report.PredictedRunCycles, report.Seams);

    public static Mismatch? FirstMismatch(TensorData expected, TensorData got)
    {
        if (expected.Shape != got.Shape)
            throw new InvalidOperationException($"shapes differ: expected {expected.Shape}, got {got.Shape}");
        var e = expected.Span;
        var g = got.Span;
        int first = -1;
        long count = 0;
        for (int i = 0; i < e.Length; i++)
            if (e[i] != g[i]) { count++; if (first < 0) first = i; }
        if (first < 0) return null;
        var s = expected.Shape;
        return new Mismatch(first / s.Positions, first % s.Positions / s.W, first % s.W, e[first], g[first], count);
    }

    /// <summary>One line per layer, then the run; a mismatch names layer, channel, y, x, expected and got.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        int width = Layers.Max(l => l.Name.Length);
        string sim = Simulator.ToString().ToLowerInvariant();
        foreach (var l in Layers)
        {
            string values = l.Mismatch is { } m
                ? Invariant($"MISMATCH at channel {m.Channel}, y {m.Y}, x {m.X}: expected {m.Expected}, got {m.Got} ({m.DifferingValues} values differ)")
                : "bit-exact";
            string cycles = l.CyclesMatch
                ? Invariant($"{l.Cycles} cycles as predicted")
                : Invariant($"CYCLES {l.Cycles}, predicted {l.PredictedCycles}");
            sb.Append(Invariant($"{sim}: {l.Name.PadRight(width)}  {values}; {cycles}\n"));
        }
        // A split run: where it was cut, and whether each part ended where the next began.
        foreach (var seam in Seams)
            sb.Append(seam.Matches
                ? Invariant($"{sim}: cut before {seam.Layer}: the feature memory the part before ended with is the one the part after started from ({seam.Words} words equal)\n")
                : Invariant($"{sim}: cut before {seam.Layer}: FEATURE MEMORY DIFFERS at word {seam.FirstDifference}: the part after started from {seam.Expected}, the part before ended with {seam.Got} ({seam.DifferingWords} words differ)\n"));
        string run = RunCycles == PredictedRunCycles
            ? Invariant($"{RunCycles} cycles as predicted")
            : Invariant($"{RunCycles} cycles, predicted {PredictedRunCycles}");
        int failed = Layers.Count(l => !l.Passed);
        string parts = Seams.Count == 0 ? "" : Invariant($" (in {Seams.Count + 1} parts)");
        sb.Append(Invariant($"{sim}: {(Passed ? "PASS" : "FAIL")}: {Layers.Count - failed} of {Layers.Count} layers bit-exact and cycle-exact, run {run}{parts}\n"));
        return sb.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
