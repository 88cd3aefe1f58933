using System.Text.Json;
using BnnHdl.Network;

namespace BnnHdl.Golden;

/// <summary>One tensor of the run as listed in the manifest; paths are relative to the set's folder.</summary>
public sealed record GoldenTensor(string Name, Shape Shape, DataType Type, string Npy, string Memh, string Sha256);

/// <summary>One layer as listed in the manifest: the layer, its first input (for groups and padding) and its parameter kinds.</summary>
public sealed record GoldenLayer(Layer Layer, TensorInfo FirstInput, EquatableArray<string> ParamKinds);

/// <summary>
/// Writes manifest.json of a golden set (SPEC.md section 6, <c>bnn-hdl-golden/1</c>):
/// indented UTF-8 JSON with '\n' line ends and a fixed key order, so equal sets give equal
/// bytes. Keys: format, network, seed (integer or null), input_shape [C, H, W], outputs (the
/// network's output tensors, in order), tensors (the input first, then every layer's output in
/// network order), layers (every layer but the input, in network order).
/// </summary>
public static class GoldenManifest
{
    public const string Format = "bnn-hdl-golden/1";

    public static byte[] Encode(Graph g, long? seed, IReadOnlyList<GoldenTensor> tensors, IReadOnlyList<GoldenLayer> layers)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("network", g.Name);
            if (seed is long s) w.WriteNumber("seed", s);
            else w.WriteNull("seed");
            var input = g.Input.Output.Shape;
            CompactJson.Ints(w, "input_shape", input.C, input.H, input.W);
            CompactJson.Strings(w, "outputs", g.Outputs);

            w.WriteStartArray("tensors");
            foreach (var t in tensors) WriteTensor(w, t);
            w.WriteEndArray();

            w.WriteStartArray("layers");
            foreach (var l in layers) WriteLayer(w, l);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public static string TensorPath(string name, string extension) => $"tensors/{name}.{extension}";
    public static string ParamPath(string layer, string kind) => $"params/{layer}.{kind}.npy";

    private static void WriteTensor(Utf8JsonWriter w, GoldenTensor t)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        CompactJson.Ints(w, "shape", t.Shape.C, t.Shape.H, t.Shape.W);
        w.WriteString("type", t.Type.Name);
        w.WriteString("npy", t.Npy);
        w.WriteString("memh", t.Memh);
        w.WriteString("sha256", t.Sha256);
        w.WriteEndObject();
    }

    private static void WriteLayer(Utf8JsonWriter w, GoldenLayer entry)
    {
        var layer = entry.Layer;
        w.WriteStartObject();
        w.WriteString("name", layer.Name);
        w.WriteString("op", layer.Op.OpName);
        CompactJson.Strings(w, "inputs", layer.Inputs);
        w.WriteString("output", layer.Name);
        w.WritePropertyName("attrs");
        LayerAttributes.Write(w, layer, entry.FirstInput);
        w.WriteStartObject("params");
        foreach (var kind in entry.ParamKinds) w.WriteString(kind, ParamPath(layer.Name, kind));
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
