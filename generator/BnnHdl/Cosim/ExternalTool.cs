using System.Diagnostics;
using System.Text;

namespace BnnHdl.Cosim;

/// <summary>What a finished external process printed and returned.</summary>
public sealed record ToolOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The last lines of stderr and stdout, for an error message.</summary>
    public string Tail(int lines = 20)
    {
        var all = (Stderr + "\n" + Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// An external program (verilator, iverilog, vvp, make, ...) found on PATH. A missing tool
/// is an error that says so: tests that need a simulator fail with this message, they are
/// never skipped.
/// </summary>
public sealed class ExternalTool
{
    public string Name { get; }
    public string Path { get; }

    private ExternalTool(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>Finds <paramref name="name"/> on <paramref name="searchPath"/> (default: the PATH variable).</summary>
    public static ExternalTool Require(string name, string? searchPath = null)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string dir in searchPath.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate)) return new ExternalTool(name, candidate);
        }
        throw new BnnHdlException($"{name} is not installed (not found on PATH); `make deps` installs the simulators");
    }

    /// <summary>A program at a known path (a simulator binary this process built).</summary>
    public static ExternalTool At(string path) =>
        File.Exists(path) ? new ExternalTool(System.IO.Path.GetFileName(path), path) : throw new BnnHdlException($"program {path} does not exist");

    /// <summary>
    /// Runs the tool to completion in <paramref name="workDir"/>; a run longer than
    /// <paramref name="timeout"/> is killed and is an error. <paramref name="onLine"/> sees each
    /// standard-output line as it arrives (progress), besides collecting it.
    /// </summary>
    public ToolOutput Run(IEnumerable<string> arguments, string workDir, TimeSpan timeout, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new BnnHdlException($"cannot start {Name}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stdout) stdout.Append(e.Data).Append('\n');
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new BnnHdlException($"{Name} did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr) return new ToolOutput(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
