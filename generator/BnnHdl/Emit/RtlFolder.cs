namespace BnnHdl.Emit;

/// <summary>
/// Generated RTL folders are written with <see cref="AtomicFolder"/>; an existing folder is
/// replaced only if the emitter wrote it (its bnn_engine_top.v carries the generated header).
/// </summary>
public static class RtlFolder
{
    private const string Signature = "// bnn_engine_top: network '";

    private static readonly AtomicFolder Folder = new("the RTL", IsGenerated, "holds no generated bnn_engine_top.v");

    /// <summary>Fails (changing nothing) when <paramref name="target"/> cannot become the RTL folder.</summary>
    public static void Check(string target) => Folder.Check(target);

    public static void Write(string target, IReadOnlyList<GeneratedFile> files) => Folder.Write(target, temp =>
    {
        foreach (var file in files)
        {
            string path = Path.Combine(temp, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text);
        }
    });

    private static bool IsGenerated(string dir)
    {
        string top = Path.Combine(dir, "bnn_engine_top.v");
        if (!File.Exists(top)) return false;
        using var reader = new StreamReader(top);
        return (reader.ReadLine() ?? "").StartsWith(Signature, StringComparison.Ordinal);
    }
}
