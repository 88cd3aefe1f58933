using System.Globalization;
using System.Text;
using BnnHdl.Emit;
using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>One memory of the engine: its words and their width.</summary>
public sealed record MemorySize(string Name, string Role, long Words, int WordBits)
{
    public long Bits => Words * WordBits;
}

/// <summary>
/// The figures an architect compares configurations by, for one network on one engine: the
/// network's layers and MACs, the engine's program (layers, program words), binary MACs,
/// predicted cycles and lane utilization (<see cref="EngineUtilization"/>), and the size of
/// every memory. A read-only analysis; `bnn-hdl generate` prints it.
/// </summary>
public sealed record EngineSummary(string Network, string Config, int NetworkLayers, long Macs, int EngineLayers, int ProgramWords,
    long BinaryMacs, long Cycles, double Utilization, EquatableArray<MemorySize> Memories, GateEstimate Gates)
{
    public static EngineSummary Of(Graph graph, LoweredProgram program)
    {
        var network = NetworkSummary.Of(graph);
        var u = EngineUtilization.Of(program);
        var d = program.Dimensions;
        var memories = new MemorySize[]
        {
            new("FM", "feature memory (activations, read/write)", d.FmWords, d.FmWordBits),
            new("WM", "weight memory (read-only)", d.WmWords, d.WmWordBits),
            new("TM", "threshold memory (read-only)", d.TmWords, d.TmWordBits),
            new("TT", "tile table (read-only)", d.TileWords, d.TileWordBits),
            new("PM", "program memory (read-only)", d.ProgramWords, d.ProgramWordBits),
        };
        return new EngineSummary(graph.Name, program.Config.ToString(), network.Totals.Layers, network.Totals.Macs, program.Layers.Count,
            d.ProgramWords, u.BinaryMacs, u.Cycles, u.Utilization, memories.ToEquatableArray(), GateEstimate.Of(RtlParameters.Of(program)));
    }

    public string Format()
    {
        var sb = new StringBuilder();
        void Line(FormattableString s) => sb.Append(s.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line($"summary of '{Network}' on P x S = {Config}:");
        Line($"  layers    {NetworkLayers:N0} in the network, {EngineLayers:N0} on the engine ({ProgramWords:N0} program words)");
        Line($"  MACs      {Macs:N0} ({BinaryMacs:N0} binary MACs: one lane of one input bit-plane each)");
        Line($"  cycles    {Cycles:N0} predicted (every cycle of every layer; the co-simulation checks each)");
        Line($"  lanes     {Utilization * 100:0.0} % busy (binary MACs / (cycles x P x S))");
        foreach (var m in Memories)
            Line($"  {m.Name,-9} {m.Words:N0} x {m.WordBits} bits = {Bytes(m.Bits)}, {m.Role}");
        Line($"  memory    {Bytes(Memories.Sum(m => m.Bits))} in all");
        Line($"  gates     {Gates.Cells:N0} cells estimated (Yosys generic gates after synth, memories excluded), by module:");
        sb.Append(Gates.FormatModules("            "));
        return sb.ToString();
    }

    private static string Bytes(long bits)
    {
        double bytes = bits / 8.0;
        return bytes >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):0.00} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:0.0} KiB");
    }
}
