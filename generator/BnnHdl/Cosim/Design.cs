using BnnHdl.Emit;

namespace BnnHdl.Cosim;

/// <summary>
/// A generated RTL folder as the simulators see it: the Verilog sources listed in its
/// files.f, the headers they include, and the harness folder tb/.
/// </summary>
internal sealed record Design(string Dir, IReadOnlyList<string> Sources)
{
    public string Harness => Path.Combine(Dir, "tb");
    public IEnumerable<string> SourcePaths => Sources.Select(s => Path.Combine(Dir, s));

    public static Design Read(string dir)
    {
        string list = Path.Combine(dir, "files.f");
        if (!File.Exists(list)) throw new BnnHdlException($"'{dir}' is not a generated RTL folder: it has no files.f");
        var sources = File.ReadAllLines(list)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('+'))
            .ToList();
        foreach (string s in sources.Concat(RtlEmitter.Headers))
            if (!File.Exists(Path.Combine(dir, s))) throw new BnnHdlException($"generated RTL folder '{dir}' lacks {s}");
        return new Design(dir, sources);
    }

    /// <summary>What a build depends on: tool, options, every source and header, and the harness files it compiles.</summary>
    public IEnumerable<(string Name, string Content)> KeyParts(string simulator, string toolVersion, string flags, IEnumerable<string> harnessFiles)
    {
        yield return ("simulator", simulator);
        yield return ("tool", toolVersion);
        yield return ("flags", flags);
        foreach (string s in Sources.Concat(RtlEmitter.Headers))
            yield return (s, File.ReadAllText(Path.Combine(Dir, s)));
        foreach (string h in harnessFiles)
        {
            string path = Path.Combine(Harness, h);
            if (!File.Exists(path)) throw new BnnHdlException($"generated RTL folder '{Dir}' lacks tb/{h}");
            yield return ("tb/" + h, File.ReadAllText(path));
        }
    }
}
