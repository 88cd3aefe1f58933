using System.Text;
using System.Text.Json;
using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>
/// The network summary as JSON for scripts: keys in a fixed order, snake_case, shapes as
/// [C, H, W] arrays, types in the manifest spelling ("U2", "B", "I17"), two-space indent,
/// "\n" line ends:
/// <c>{ network, input_shape, layers: [{ name, op, inputs, input_shapes, output_shape,
/// output_type, macs, params }], totals: { layers, macs, params } }</c>.
/// </summary>
public static class SummaryJson
{
    public static string Format(NetworkSummary summary)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("network", summary.Network);
            w.WritePropertyName("input_shape");
            WriteShape(w, summary.InputShape);
            w.WriteStartArray("layers");
            foreach (var l in summary.Layers) WriteLayer(w, l);
            w.WriteEndArray();
            w.WriteStartObject("totals");
            w.WriteNumber("layers", summary.Totals.Layers);
            w.WriteNumber("macs", summary.Totals.Macs);
            w.WriteNumber("params", summary.Totals.Params);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
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
