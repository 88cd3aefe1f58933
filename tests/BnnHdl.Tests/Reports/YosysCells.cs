using System.Globalization;
using System.Text.RegularExpressions;
using BnnHdl.Cosim;
using Xunit.Sdk;

namespace BnnHdl.Tests.Reports;

/// <summary>
/// Synthesizes Verilog with Yosys (`synth`, hierarchy kept) and reads its `stat`: every
/// module's own cells (its submodule instances not counted) and, through the hierarchy,
/// the cells of each module kind in the whole design.
/// </summary>
internal static partial class YosysCells
{
    /// <summary>Own cells per module name as `stat` prints it ($paramod names included).</summary>
    public sealed record Stat(Dictionary<string, long> Own, Dictionary<string, Dictionary<string, long>> Children)
    {
        /// <summary>The cells of every module kind (bnn_pe, ...) over all its instances in the design under <paramref name="top"/>.</summary>
        public Dictionary<string, long> ByKind(string top)
        {
            var result = new Dictionary<string, long>();
            void Walk(string module, long count)
            {
                string kind = Kind(module);
                result[kind] = result.GetValueOrDefault(kind) + count * Own[module];
                foreach (var (child, n) in Children[module])
                    if (Own.ContainsKey(child)) Walk(child, count * n);   // black boxes (the memories) have no cells
            }
            Walk(top, 1);
            return result;
        }

        /// <summary>Own cells of the only module of this kind.</summary>
        public long OwnOf(string kind) => Own.Single(m => Kind(m.Key) == kind).Value;
    }

    /// <summary>"$paramod$hash\bnn_pe" and "$paramod\bnn_popcount\N=..." are bnn_pe and bnn_popcount.</summary>
    public static string Kind(string module)
    {
        if (!module.StartsWith("$paramod", StringComparison.Ordinal)) return module;
        var parts = module.Split('\\');
        return parts[1];
    }

    /// <summary>Runs Yosys on a script ending in `stat` (written to stat.txt) in <paramref name="dir"/>.</summary>
    public static Stat Run(string dir, string script, TimeSpan timeout)
    {
        string statFile = Path.Combine(dir, "stat.txt");
        var yosys = ExternalTool.Require("yosys").Run(["-q", "-p", $"{script}; tee -q -o stat.txt stat"], dir, timeout);
        if (yosys.ExitCode != 0 || !File.Exists(statFile)) throw new XunitException($"yosys failed in {dir}:\n{yosys.Tail()}");
        return Parse(File.ReadAllText(statFile));
    }

    public static Stat Parse(string text)
    {
        var own = new Dictionary<string, long>();
        var children = new Dictionary<string, Dictionary<string, long>>();
        var sections = Section().Split(text);
        for (int i = 1; i + 1 < sections.Length; i += 2)
        {
            string name = sections[i], body = sections[i + 1];
            long cells = long.Parse(Cells().Match(body).Groups[1].Value, CultureInfo.InvariantCulture);
            if (name == "design hierarchy") continue;
            var subs = new Dictionary<string, long>();
            foreach (Match m in Instance().Matches(body))
                subs[m.Groups[1].Value] = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            own[name] = cells - subs.Values.Sum();
            children[name] = subs;
        }
        return new Stat(own, children);
    }

    [GeneratedRegex(@"^=== (.*) ===$", RegexOptions.Multiline)]
    private static partial Regex Section();

    [GeneratedRegex(@"Number of cells:\s+(\d+)")]
    private static partial Regex Cells();

    // A submodule line of a cell list: "     $paramod$...\bnn_pe    9" or "     bnn_accum    4".
    [GeneratedRegex(@"^\s+(\$paramod\S*|bnn_\w+)\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex Instance();
}
