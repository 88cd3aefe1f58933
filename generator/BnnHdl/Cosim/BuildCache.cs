using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BnnHdl.Cosim;

/// <summary>
/// Simulator builds kept by content: a build folder is named by a hash of everything that
/// goes into the build (sources, harness, tool, options), so an unchanged design is never
/// rebuilt, in this process or a later one. Memory images are not part of the key: the
/// simulators read them at run time. A build is made in a hidden temporary folder and
/// renamed into place when complete, so a crashed or concurrent build never leaves a half
/// folder under its key.
/// </summary>
public sealed class BuildCache
{
    private const string CompleteMarker = "build.ok";
    private static readonly ConcurrentDictionary<string, object> Locks = new();

    public string Root { get; }

    public BuildCache(string root) => Root = Path.GetFullPath(root);

    /// <summary>The default cache: $XDG_CACHE_HOME/bnn-hdl/cosim, else ~/.cache/bnn-hdl/cosim.</summary>
    public static BuildCache Default
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseDir = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return new BuildCache(Path.Combine(baseDir, "bnn-hdl", "cosim"));
        }
    }

    /// <summary>SHA-256 (hex) of the given named parts, each length-prefixed so parts cannot run together.</summary>
    public static string Key(IEnumerable<(string Name, string Content)> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in parts)
        {
            foreach (string piece in new[] { name, content })
            {
                byte[] bytes = Encoding.UTF8.GetBytes(piece);
                sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
                sha.AppendData(bytes);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The folder of build <paramref name="key"/>; when it does not exist yet,
    /// <paramref name="build"/> fills a fresh folder first. Returns whether it was built now.
    /// </summary>
    public (string Folder, bool Built) GetOrBuild(string key, Action<string> build)
    {
        string folder = Path.Combine(Root, key);
        lock (Locks.GetOrAdd(key, _ => new object()))
        {
            if (File.Exists(Path.Combine(folder, CompleteMarker))) return (folder, false);
            Directory.CreateDirectory(Root);
            string temp = Path.Combine(Root, $".{key}.tmp-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temp);
            try
            {
                build(temp);
                File.WriteAllText(Path.Combine(temp, CompleteMarker), key + "\n");
                Directory.Move(temp, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, CompleteMarker)))
            {
                // Another process finished the same build first; its folder is as good as ours.
                TryDelete(temp);
                return (folder, false);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
            return (folder, true);
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
            // Best effort: a leftover hidden temporary folder does not affect later builds.
        }
    }
}
