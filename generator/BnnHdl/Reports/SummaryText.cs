using System.Globalization;
using System.Text;

namespace BnnHdl.Reports;

/// <summary>
/// The network summary as an aligned text table: one row per layer (name, op, inputs and their shapes,
/// output shape and type, MACs, parameters; "-" where an op has none), then the totals.
/// Numbers use thousands separators; columns are as wide as their widest cell.
/// </summary>
public static class SummaryText
{
    private static readonly string[] Headers = ["layer", "op", "inputs", "input shapes", "output", "type", "MACs", "params"];
    private static readonly bool[] RightAligned = [false, false, false, false, false, false, true, true];

    public static string Format(NetworkSummary summary)
    {
        var rows = summary.Layers.Select(l => new[]
        {
            l.Name, l.Op, l.Inputs.Count == 0 ? "-" : string.Join(", ", l.Inputs),
            l.InputShapes.Count == 0 ? "-" : string.Join(", ", l.InputShapes), l.OutputShape.ToString(),
            l.OutputType.Name, Count(l.Macs), Count(l.Params),
        }).ToList();
        var widths = Enumerable.Range(0, Headers.Length)
            .Select(c => rows.Select(r => r[c].Length).Append(Headers[c].Length).Max()).ToArray();

        var sb = new StringBuilder();
        sb.Append("network ").Append(summary.Network).Append(", input ").Append(summary.InputShape).Append('\n');
        AppendRow(sb, Headers, widths);
        AppendRow(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows) AppendRow(sb, row, widths);
        var t = summary.Totals;
        sb.Append(Invariant($"total: {t.Layers} layers, {t.Macs:N0} MACs, {t.Params:N0} params")).Append('\n');
        return sb.ToString();
    }

    private static string Count(long value) => value == 0 ? "-" : Invariant($"{value:N0}");

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((cell, c) =>
            RightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c])));
        sb.Append(line.TrimEnd()).Append('\n');
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
