using System.Text.Json;

namespace BnnHdl.Golden;

/// <summary>
/// Golden sets are written with <see cref="AtomicFolder"/>; an existing folder is replaced
/// only if it holds a bnn-hdl-golden manifest.
/// </summary>
internal static class AtomicDirectory
{
    private static readonly AtomicFolder Folder = new(
        "the golden set", IsGoldenSet, "is not a golden set (no bnn-hdl-golden manifest.json)");

    public static void Write(string target, Action<string> fill) => Folder.Write(target, fill);

    public static (string Full, string Parent, string Leaf) Check(string target) => Folder.Check(target);

    private static bool IsGoldenSet(string dir)
    {
        string manifest = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifest)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("format", out var f)
                && f.ValueKind == JsonValueKind.String
                && f.GetString()!.StartsWith("bnn-hdl-golden/", StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
