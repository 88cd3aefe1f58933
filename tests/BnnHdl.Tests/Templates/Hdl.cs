using System.Globalization;
using System.Numerics;
using System.Text;
using BnnHdl.Cosim;
using BnnHdl.Emit;
using Xunit.Sdk;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// Runs the hand-written building blocks on their own: Verilator lint (-Wall, no waivers,
/// no output allowed) and Icarus simulation of a test bench from tb/, in a temporary folder
/// that holds the bench's data files. A missing simulator fails the test with the
/// <see cref="ExternalTool"/> message.
/// </summary>
internal static class Hdl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Template(string name) => Path.Combine(SourceTree.Default.Templates, name);

    public static string Bench(string name) =>
        Path.Combine(SourceTree.Default.Root, "tests", "BnnHdl.Tests", "Templates", "tb", name);

    /// <summary>
    /// Lints <paramref name="files"/> (templates by name, or full paths) with top
    /// <paramref name="top"/> and -G overrides; any message fails. Verilator 5.006 mishandles
    /// a self-instantiating module named with --top-module (it drops the recursion and
    /// reports unused inputs), so a single file is linted without naming its top.
    /// </summary>
    public static void Lint(string top, IEnumerable<string> files, IEnumerable<(string Name, string Value)> parameters, string? includeDir = null)
    {
        var list = files.ToList();
        var args = new List<string> { "--lint-only", "-Wall" };
        if (list.Count > 1) args.AddRange(["--top-module", top]);
        // The blocks include bnn_offsets.vh from the templates folder (an RTL folder holds a copy).
        args.Add("-I" + SourceTree.Default.Templates);
        if (includeDir != null) args.Add("-I" + includeDir);
        args.AddRange(parameters.Select(p => $"-G{p.Name}={p.Value}"));
        args.AddRange(list.Select(Resolve));
        var output = ExternalTool.Require("verilator").Run(args, Path.GetTempPath(), Timeout);
        string text = (output.Stderr + output.Stdout).Trim();
        if (output.ExitCode != 0 || text.Length > 0)
            throw new XunitException($"verilator --lint-only -Wall {top} ({string.Join(" ", parameters.Select(p => p.Name + "=" + p.Value))}) is not clean:\n{text}");
    }

    /// <summary>Compiles bench <paramref name="bench"/> with <paramref name="templates"/> and -P overrides, runs it in a folder holding <paramref name="dataFiles"/>, returns its printed lines.</summary>
    public static string[] Simulate(string bench, IEnumerable<string> templates, IEnumerable<(string Name, string Value)> parameters,
        IReadOnlyDictionary<string, string> dataFiles)
    {
        string top = Path.GetFileNameWithoutExtension(bench);
        string dir = Path.Combine(Path.GetTempPath(), $"bnn-hdl-tb-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var (name, text) in dataFiles) File.WriteAllText(Path.Combine(dir, name), text);
            var args = new List<string> { "-g2012", "-s", top, "-o", Path.Combine(dir, "sim.vvp"), "-I" + SourceTree.Default.Templates };
            args.AddRange(parameters.Select(p => $"-P{top}.{p.Name}={p.Value}"));
            args.Add(Bench(bench));
            args.AddRange(templates.Select(Resolve));
            var compile = ExternalTool.Require("iverilog").Run(args, dir, Timeout);
            if (compile.ExitCode != 0 || compile.Stderr.Trim().Length > 0)
                throw new XunitException($"iverilog {bench}:\n{compile.Tail()}");
            var run = ExternalTool.Require("vvp").Run(["-n", "sim.vvp"], dir, Timeout);
            if (run.ExitCode != 0 || run.Stderr.Trim().Length > 0)
                throw new XunitException($"vvp {bench}:\n{run.Tail()}");
            return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.Contains("$finish", StringComparison.Ordinal)).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Resolve(string file) => Path.IsPathRooted(file) ? file : Template(file);

    /// <summary>$readmemh lines of <paramref name="bits"/>-bit values.</summary>
    public static string Memh(IEnumerable<BigInteger> words, int bits)
    {
        var sb = new StringBuilder();
        foreach (var w in words) sb.Append(Hex(w, bits)).Append('\n');
        return sb.ToString();
    }

    /// <summary>A non-negative value as exactly ceil(bits / 4) lower-case hex digits (as Verilog's %h prints it).</summary>
    public static string Hex(BigInteger value, int bits)
    {
        int digits = (bits + 3) / 4;
        string text = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return text.PadLeft(digits, '0')[^digits..];
    }

    public static int PopCount(BigInteger value)
    {
        int n = 0;
        for (; value > 0; value >>= 1) n += (int)(value & 1);
        return n;
    }

    public static BigInteger RandomBits(BnnHdl.Quant.SeededRandom r, int bits)
    {
        BigInteger v = 0;
        for (int b = 0; b < bits; b++) if (r.NextBool()) v |= BigInteger.One << b;
        return v;
    }

    public static BigInteger Ones(int bits) => (BigInteger.One << bits) - 1;

    public static string S(int value) => value.ToString(CultureInfo.InvariantCulture);
}
