using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>
/// One engine layer's lane utilization: binary MACs / (cycles x P x S), where its cycles go
/// (<see cref="CycleBreakdown"/>), and the lanes busy during its beats (binary MACs / (beat
/// cycles x P x S): what its mapping onto the PEs and lanes allows, the write-back and
/// setups aside).
/// </summary>
public sealed record LayerUtilization(string Name, string Kind, long BinaryMacs, long Cycles, double Utilization,
    CycleBreakdown Split, double BeatUtilization);

/// <summary>The layers of one kind together: their binary MACs, cycles, utilization and share of the run's cycles.</summary>
public sealed record KindUtilization(string Kind, int Layers, long BinaryMacs, long Cycles, double Utilization, double CycleShare,
    CycleBreakdown Split, double BeatUtilization);

/// <summary>Utilization of every layer and of the whole run, for one engine configuration.</summary>
public sealed record EngineUtilization(string Network, EngineConfig Config, EquatableArray<LayerUtilization> Layers,
    long BinaryMacs, long Cycles, double Utilization)
{
    /// <summary>Per layer kind, in order of first appearance.</summary>
    public IReadOnlyList<KindUtilization> ByKind()
    {
        long lanes = (long)Config.P * Config.S;
        return Layers.GroupBy(l => l.Kind).Select(g =>
        {
            long macs = g.Sum(l => l.BinaryMacs), cycles = g.Sum(l => l.Cycles);
            var split = g.Select(l => l.Split).Aggregate((a, b) => a + b);
            return new KindUtilization(g.Key, g.Count(), macs, cycles, (double)macs / (cycles * lanes), (double)cycles / Cycles,
                split, (double)macs / (split.Beats * lanes));
        }).ToList();
    }

    /// <summary>
    /// A read-only analysis of a lowered program. A binary MAC is one lane of one input
    /// bit-plane (a U(k) activation times a weight is k binary MACs, a B activation one);
    /// the cycles are the cycle model's, so the figure is deterministic and testable.
    /// </summary>
    public static EngineUtilization Of(LoweredProgram program)
    {
        var cycles = CycleModel.Predict(program);
        long lanes = (long)program.Config.P * program.Config.S;
        var layers = new List<LayerUtilization>();
        for (int k = 0; k < program.Layers.Count; k++)
        {
            var dot = program.Layers[k].Source.Dot;
            long macs = BinaryMacsOf(dot);
            var split = program.Layers[k].Parts.Select(p => CycleModel.Breakdown(p.Descriptor, p.Tiles)).Aggregate((a, b) => a + b);
            layers.Add(new LayerUtilization(dot.Name, Kind(dot), macs, cycles.Layers[k], (double)macs / (cycles.Layers[k] * lanes),
                split, (double)macs / (split.Beats * lanes)));
        }
        long total = layers.Sum(l => l.BinaryMacs);
        return new EngineUtilization(program.Name, program.Config, layers.ToEquatableArray(), total, cycles.Total,
            (double)total / (cycles.Total * lanes));
    }

    private static long BinaryMacsOf(DotNode dot)
    {
        var read = dot.ReadType;
        int planes = read.IsBipolar ? 1 : read.Bits;
        long pairs = dot.Geometry.Groups.Sum(g => (long)g.OutCount * g.InCount);
        return dot.Words().Sum(p => pairs * p.Taps * p.Out.H * p.Out.W) * planes;
    }

    /// <summary>The layer kinds the utilization goals of the engine are stated for.</summary>
    public static string Kind(DotNode dot)
    {
        var g = dot.Geometry;
        if (dot.Windows is { } w)
            return string.Create(CultureInfo.InvariantCulture, $"dense {w.Kernel.Y}x{w.Kernel.X} (input windows)");
        string shape = string.Create(CultureInfo.InvariantCulture, $"{g.Kernel.Y}x{g.Kernel.X}");
        if (dot.SourceOp is not ("Conv2d" or "Linear"))
            return dot.SourceOp switch
            {
                "Add" or "Mul" or "MultiThreshold" => "elementwise " + dot.SourceOp,
                "Concat" => "copy into Concat",
                "ActMatMul" => dot.Broadcast is { Transposes: true } ? "transpose (ActMatMul)" : "act x act",
                "UpsampleNearest" or "AdaptiveSumPool" or "GlobalSumPool" => dot.SourceOp,
                _ => dot.SourceOp + " " + shape,
            };
        bool depthwise = g.Groups.Count > 1 && g.Groups.All(r => r.InCount == 1);
        bool strip = (g.Kernel.Y == 1) != (g.Kernel.X == 1);
        if (depthwise) return (strip ? "strip " : "depthwise ") + shape;
        if (g.Groups.Count > 1) return "grouped " + shape;
        return (dot.SourceOp == "Linear" ? "linear " : "dense ") + shape;
    }

    /// <summary>A table: per layer kind, binary MACs, cycles and utilization; then the run.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append(Invariant($"utilization of '{Network}' at P x S = {Config.P} x {Config.S} (binary MACs / (cycles x P x S))\n"));
        int nameWidth = Math.Max(5, Layers.Max(l => l.Name.Length));
        int kindWidth = Math.Max(4, Layers.Max(l => l.Kind.Length));
        sb.Append("  (beats, stalls: cycles in beats and waiting for the write-back; in beats: lanes busy during the beats)\n");
        sb.Append(Invariant($"  {"layer".PadRight(nameWidth)}  {"kind".PadRight(kindWidth)}  {"binary MACs",14}  {"cycles",10}  {"util",7}  {"beats",6}  {"stalls",6}  {"in beats",8}\n"));
        foreach (var l in Layers)
            sb.Append(Invariant($"  {l.Name.PadRight(nameWidth)}  {l.Kind.PadRight(kindWidth)}  {l.BinaryMacs,14:N0}  {l.Cycles,10:N0}  {l.Utilization,7:P1}  {Share(l.Split.Beats, l.Cycles),6:P0}  {Share(l.Split.Stalls, l.Cycles),6:P0}  {l.BeatUtilization,8:P1}\n"));
        sb.Append(Invariant($"  {"total".PadRight(nameWidth)}  {"".PadRight(kindWidth)}  {BinaryMacs,14:N0}  {Cycles,10:N0}  {Utilization,7:P1}\n"));
        sb.Append("per kind (cycles = share of the run's layer cycles)\n");
        sb.Append(Invariant($"  {"kind".PadRight(kindWidth)}  {"layers",6}  {"binary MACs",14}  {"cycles",10}  {"util",7}  {"cycles",7}  {"in beats",8}\n"));
        foreach (var k in ByKind())
            sb.Append(Invariant($"  {k.Kind.PadRight(kindWidth)}  {k.Layers,6}  {k.BinaryMacs,14:N0}  {k.Cycles,10:N0}  {k.Utilization,7:P1}  {k.CycleShare,7:P1}  {k.BeatUtilization,8:P1}\n"));
        return sb.ToString();
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
