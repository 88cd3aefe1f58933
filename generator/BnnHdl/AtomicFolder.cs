namespace BnnHdl;

/// <summary>
/// Writes an output folder all at once, for every exporter (golden sets, RTL): the content
/// goes into a fresh hidden sibling folder that is renamed into place only when complete (an
/// earlier folder is moved aside first and deleted after). On any error the partial folder
/// is removed, so readers see the old folder or the new one, never a half-written one. A
/// non-empty folder that this kind of output did not write is never replaced: a mistyped
/// path must not delete someone's files.
/// </summary>
/// <param name="What">What is written, for messages: "the golden set", "the RTL".</param>
/// <param name="IsOurs">Whether a non-empty existing folder holds this kind of output.</param>
/// <param name="NotOurs">Why a foreign folder is refused, e.g. "holds no generated bnn_engine_top.v".</param>
public sealed record AtomicFolder(string What, Func<string, bool> IsOurs, string NotOurs)
{
    public void Write(string target, Action<string> fill)
    {
        var (full, parent, leaf) = Check(target);
        CreateParent(target, parent);
        string temp = Path.Combine(parent, $".{leaf}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            fill(temp);
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

    /// <summary>
    /// Fails early (before any work) when <paramref name="target"/> cannot become the folder:
    /// a file, a foreign non-empty folder, or a parent path through a file. Changes nothing.
    /// Returns the absolute target, its parent folder and its name.
    /// </summary>
    public (string Full, string Parent, string Leaf) Check(string target)
    {
        string trimmed = target.Length > 1 ? target.TrimEnd('/') : target;
        string full = Path.GetFullPath(trimmed);
        string parent = Path.GetDirectoryName(full) ?? throw Fail(target, "it has no parent folder");
        if (File.Exists(full)) throw Fail(target, "it is a file, not a folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !IsOurs(full))
            throw Fail(target, $"the folder exists and {NotOurs}; refusing to replace it");
        for (string? p = Path.GetDirectoryName(trimmed); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (File.Exists(p)) throw Fail(target, $"'{p}' is a file, not a folder");
        return (full, parent, Path.GetFileName(full));
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

    private void CreateParent(string target, string parent)
    {
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(target, "cannot create its parent folder: " + e.Message);
        }
    }

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

    private BnnHdlException Fail(string target, string reason) => new($"cannot write {What} to '{target}': {reason}");
}
