using System.Text;
using System.Text.Json;
using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>
/// The network summary as JSON for scripts: keys in a fixed order, snake_case, shapes as
/// [C, H, W] arrays, types in the manifest spelling ("U2", "B", "I17"):
/// <c>{ network, input_shape, layers: [{ name, op, inputs, input_shapes, output_shape,
/// output_type, macs, params }], totals: { layers, macs, params } }</c>.
/// Layout: one layer per line (compact inside), so a large network stays readable and
/// diffs line by line; "\n" line ends. Values are written by System.Text.Json.
/// </summary>
public static class SummaryJson
{
    public static string Format(NetworkSummary summary)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append("  \"network\": ").Append(Compact(w => w.WriteStringValue(summary.Network))).Append(",\n");
        sb.Append("  \"input_shape\": ").Append(Compact(w => WriteShape(w, summary.InputShape))).Append(",\n");
        sb.Append("  \"layers\": [");
        for (int i = 0; i < summary.Layers.Count; i++)
        {
            var layer = summary.Layers[i];
            sb.Append(i == 0 ? "\n" : ",\n").Append("    ").Append(Compact(w => WriteLayer(w, layer)));
        }
        sb.Append(summary.Layers.Count == 0 ? "],\n" : "\n  ],\n");
        sb.Append("  \"totals\": ").Append(Compact(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("layers", summary.Totals.Layers);
            w.WriteNumber("macs", summary.Totals.Macs);
            w.WriteNumber("params", summary.Totals.Params);
            w.WriteEndObject();
        })).Append('\n');
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>One JSON value on one line, as System.Text.Json writes it unindented.</summary>
    private static string Compact(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteLayer(Utf8JsonWriter w, LayerSummary l)
    {
        w.WriteStartObject();
        w.WriteString("name", l.Name);
        w.WriteString("op", l.Op);
        w.WriteStartArray("inputs");
        foreach (var i in l.Inputs) w.WriteStringValue(i);
        w.WriteEndArray();
        w.WriteStartArray("input_shapes");
        foreach (var s in l.InputShapes) WriteShape(w, s);
        w.WriteEndArray();
        w.WritePropertyName("output_shape");
        WriteShape(w, l.OutputShape);
        w.WriteString("output_type", l.OutputType.Name);
        w.WriteNumber("macs", l.Macs);
        w.WriteNumber("params", l.Params);
        w.WriteEndObject();
    }

    private static void WriteShape(Utf8JsonWriter w, Shape s)
    {
        w.WriteStartArray();
        w.WriteNumberValue(s.C);
        w.WriteNumberValue(s.H);
        w.WriteNumberValue(s.W);
        w.WriteEndArray();
    }
}
