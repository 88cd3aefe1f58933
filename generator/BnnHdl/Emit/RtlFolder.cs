namespace BnnHdl.Emit;

/// <summary>
/// Writes a generated RTL folder all at once: the files go into a fresh hidden sibling
/// folder that is renamed into place when complete (an earlier RTL folder is moved aside
/// first and deleted after), so readers see the old folder or the new one, never a mix. A
/// folder that is not empty and was not written by the emitter (no generated
/// bnn_engine_top.v) is never replaced.
/// </summary>
public static class RtlFolder
{
    private const string Signature = "// bnn_engine_top: network '";

    /// <summary>Fails (changing nothing) when <paramref name="target"/> cannot become the RTL folder.</summary>
    public static void Check(string target)
    {
        string full = Full(target);
        if (File.Exists(full)) throw Fail(target, "it is a file, not a folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !IsGenerated(full))
            throw Fail(target, "the folder exists and holds no generated bnn_engine_top.v; refusing to replace it");
        for (string? p = Path.GetDirectoryName(full); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (File.Exists(p)) throw Fail(target, $"'{p}' is a file, not a folder");
    }

    public static void Write(string target, IReadOnlyList<GeneratedFile> files)
    {
        Check(target);
        string full = Full(target);
        string parent = Path.GetDirectoryName(full) ?? throw Fail(target, "it has no parent folder");
        string leaf = Path.GetFileName(full);
        string temp = Path.Combine(parent, $".{leaf}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var file in files)
            {
                string path = Path.Combine(temp, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Text);
            }
            MoveIntoPlace(temp, full, parent, leaf);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Fail(target, e.Message);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void MoveIntoPlace(string temp, string full, string parent, string leaf)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(temp, full);
            return;
        }
        string old = Path.Combine(parent, $".{leaf}.old-{Guid.NewGuid():N}");
        Directory.Move(full, old);
        try
        {
            Directory.Move(temp, full);
        }
        catch
        {
            Directory.Move(old, full);
            throw;
        }
        TryDelete(old);
    }

    private static bool IsGenerated(string dir)
    {
        string top = Path.Combine(dir, "bnn_engine_top.v");
        if (!File.Exists(top)) return false;
        using var reader = new StreamReader(top);
        return (reader.ReadLine() ?? "").StartsWith(Signature, StringComparison.Ordinal);
    }

    private static string Full(string target) => Path.GetFullPath(target.Length > 1 ? target.TrimEnd('/') : target);

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original error matters more than a leftover hidden folder.
        }
    }

    private static BnnHdlException Fail(string target, string reason) => new($"cannot write the RTL to '{target}': {reason}");
}
