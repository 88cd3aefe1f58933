using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BnnHdl.Decode;

/// <summary>
/// The folder `bnn-hdl infer` writes, atomically: <c>summary.json</c> (the model, the image,
/// every decoded instance best first: rank, instance row, class, score, mask pixels and file)
/// and one 8-bit PGM per instance (<c>mask_000.pgm</c>, ...: 255 inside the mask, 0 outside).
/// </summary>
public static class InferenceFolder
{
    private static readonly AtomicFolder Folder = new("the inference results", dir => File.Exists(Path.Combine(dir, "summary.json")), "holds no summary.json");

    public static void CheckTarget(string dir) => Folder.Check(dir);

    public static void Write(string dir, string model, string image, IReadOnlyList<Instance> instances) => Folder.Write(dir, temp =>
    {
        using (var stream = File.Create(Path.Combine(temp, "summary.json")))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("image", image);
            w.WritePropertyName("instances");
            w.WriteStartArray();
            for (int r = 0; r < instances.Count; r++)
            {
                var inst = instances[r];
                w.WriteStartObject();
                w.WriteNumber("rank", r);
                w.WriteNumber("instance", inst.Index);
                w.WriteNumber("class", inst.Class);
                w.WritePropertyName("score");
                w.WriteRawValue(inst.Score.ToString("0.######", CultureInfo.InvariantCulture));
                w.WriteNumber("pixels", inst.Pixels);
                w.WriteString("mask", MaskFile(r));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        for (int r = 0; r < instances.Count; r++)
        {
            var inst = instances[r];
            var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{inst.Width} {inst.Height}\n255\n"));
            File.WriteAllBytes(Path.Combine(temp, MaskFile(r)), [.. header, .. inst.Mask.Select(m => m ? (byte)255 : (byte)0)]);
        }
    });

    public static string MaskFile(int rank) => string.Create(CultureInfo.InvariantCulture, $"mask_{rank:D3}.pgm");
}
