using System.Collections.Concurrent;
using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Cosim;

/// <summary>The two RTL simulators of the co-simulation.</summary>
public enum SimulatorKind
{
    /// <summary>Verilator 5 (C++ model, testbench/main.cpp): fast, any size.</summary>
    Verilator,
    /// <summary>Icarus Verilog 11 (testbench/tb_icarus.v): slow, small configurations.</summary>
    Icarus,
}

/// <summary>How to run a co-simulation.</summary>
public sealed record CosimOptions
{
    /// <summary>A run that has not raised done after this many cycles fails.</summary>
    public long MaxCycles { get; init; } = 10_000_000;
    /// <summary>Where simulator builds are kept (default <see cref="BuildCache.Default"/>).</summary>
    public BuildCache? Cache { get; init; }
    /// <summary>Where the run writes cosim.log and the layer dumps (default: a temporary folder, deleted after).</summary>
    public string? OutDir { get; init; }
    /// <summary>
    /// A VCD waveform of the whole run to write (absolute, or relative to the current
    /// directory); null: no trace. Icarus traces any build; Verilator needs a build with
    /// --trace, made (and cached apart) only when a trace is asked for. Results are the same.
    /// </summary>
    public string? TracePath { get; init; }
    /// <summary>
    /// Compile Verilator's model at -O2 instead of its default -Os: a longer build, a run some
    /// 1.6 times faster (worth it for millions of cycles, such as a whole network at 256 x 256).
    /// </summary>
    public bool OptimizeForSpeed { get; init; }
    /// <summary>
    /// Runs of the simulator the network is split into, <see cref="Jobs"/> at a time (<see cref="SplitRun"/>):
    /// 1 runs it whole; n cuts it at layer boundaries into n parts of about equal predicted cycles.
    /// </summary>
    public int Parts { get; init; } = 1;
    /// <summary>Called as each part of a split run ends (from the worker that ran it); null: quiet.</summary>
    public Action<PartDone>? PartDone { get; init; }
    /// <summary>Simulator processes of a split run at once (default: the machine's processors).</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;
    /// <summary>Called once the simulator is ready, before it runs: built now or taken from the cache, and how long that took; null: quiet.</summary>
    public Action<SimulatorReady>? SimulatorReady { get; init; }
    /// <summary>Called with a layer's id as the RTL finishes it (the harness prints "layer ID" lines; from several threads with parts); null: quiet.</summary>
    public Action<int>? LayerDone { get; init; }
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// One simulator run of a design: the folder it runs in (the memory images it reads), the
/// folder its log and dumps go to, the layer whose layer_done ends it (null: run to done)
/// and the file to write the whole feature memory to at its end (null: none).
/// </summary>
public sealed record RunPart(string WorkDir, string OutDir, int? StopAfter = null, string? FmOut = null);

/// <summary>A simulator ready to run: its kind, the RTL folder it was built from, the build folder, and whether it was built now (not taken from the cache).</summary>
public sealed record BuiltSimulator(SimulatorKind Kind, string RtlDir, string Folder, bool Built);

/// <summary>The simulator of a run is ready: <see cref="Built"/> now (false: from the cache), in <see cref="Elapsed"/>.</summary>
public sealed record SimulatorReady(SimulatorKind Kind, bool Built, TimeSpan Elapsed);

/// <summary>Part <see cref="Part"/> (from 0) of <see cref="Parts"/> of a split run has ended: its layers and how long it simulated.</summary>
public sealed record PartDone(int Part, int Parts, int FirstLayer, int LastLayer, TimeSpan Elapsed);

/// <summary>One layer as the RTL ran it: its cycle count and its output region, one hex word per FM word.</summary>
public sealed record CosimLayer(int Id, long Cycles, EquatableArray<string> Words);

/// <summary>The result of one RTL run: every layer in execution order and the run's cycles.</summary>
public sealed record CosimResult(SimulatorKind Simulator, EquatableArray<CosimLayer> Layers, long RunCycles, bool Built);

/// <summary>
/// Builds (through the <see cref="BuildCache"/>) and runs a generated RTL folder
/// (<see cref="Emit.RtlEmitter"/>) in Verilator or Icarus with the harness in its tb/
/// folder, from that folder (the memories read their images relative to it), and reads
/// back the per-layer cycle counts and output regions the harness recorded.
/// </summary>
public static class RtlSimulator
{
    private const string Top = "bnn_engine_top";

    public static CosimResult Run(string rtlDir, SimulatorKind kind, CosimOptions? options = null)
    {
        options ??= new CosimOptions();
        var simulator = Build(rtlDir, kind, options);
        string outDir = options.OutDir != null ? Path.GetFullPath(options.OutDir)
            : Path.Combine(Path.GetTempPath(), $"bnn-hdl-cosim-{Guid.NewGuid():N}");
        try
        {
            return Execute(simulator, new RunPart(simulator.RtlDir, outDir), options);
        }
        finally
        {
            if (options.OutDir == null) TryDelete(outDir);
        }
    }

    /// <summary>The simulator of a generated RTL folder, from the cache or built now (a traced build when options ask for a waveform).</summary>
    public static BuiltSimulator Build(string rtlDir, SimulatorKind kind, CosimOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var design = Design.Read(Path.GetFullPath(rtlDir));
        var cache = options.Cache ?? BuildCache.Default;
        var (folder, built) = kind == SimulatorKind.Verilator
            ? BuildVerilator(design, cache, options, traced: options.TracePath != null)
            : BuildIcarus(design, cache, options);
        options.SimulatorReady?.Invoke(new SimulatorReady(kind, built, clock.Elapsed));
        return new BuiltSimulator(kind, design.Dir, folder, built);
    }

    /// <summary>One run of a built simulator: in the part's working folder (the images it reads), its log and dumps to the part's output folder.</summary>
    public static CosimResult Execute(BuiltSimulator simulator, RunPart part, CosimOptions options)
    {
        var (kind, folder, built) = (simulator.Kind, simulator.Folder, simulator.Built);
        // The simulator runs in the RTL folder: a relative trace path means the caller's folder.
        string? trace = options.TracePath != null ? Path.GetFullPath(options.TracePath) : null;
        if (trace != null) Directory.CreateDirectory(Path.GetDirectoryName(trace)!);
        Directory.CreateDirectory(part.OutDir);
        var plusargs = new List<string>
        {
            "+layers=" + Path.Combine(part.WorkDir, "layers.txt"),
            "+out=" + part.OutDir,
            "+max_cycles=" + options.MaxCycles.ToString(CultureInfo.InvariantCulture),
        };
        if (trace != null) plusargs.Add("+vcd=" + trace);
        if (part.StopAfter is { } stop) plusargs.Add("+stop_after=" + stop.ToString(CultureInfo.InvariantCulture));
        if (part.FmOut != null) plusargs.Add("+fm_out=" + part.FmOut);
        // Both harnesses print "layer ID" on standard output as each layer completes.
        Action<string>? onLine = options.LayerDone is { } done
            ? line => { if (line.StartsWith("layer ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int id)) done(id); }
            : null;
        var output = kind == SimulatorKind.Verilator
            ? ExternalTool.At(Path.Combine(folder, "Vtop")).Run(plusargs, part.WorkDir, options.RunTimeout, onLine)
            : ExternalTool.Require("vvp").Run(["-n", Path.Combine(folder, "sim.vvp"), .. plusargs], part.WorkDir, options.RunTimeout, onLine);
        return CosimLog.Read(kind, part.OutDir, output, built);
    }

    /// <summary>
    /// A traced build adds --trace, which is part of the flags and so of the key: traced and
    /// untraced builds of one design are cached side by side, and the untraced one (no
    /// tracing code at all) stays as fast as ever.
    /// </summary>
    private static (string Folder, bool Built) BuildVerilator(Design design, BuildCache cache, CosimOptions options, bool traced)
    {
        var verilator = ExternalTool.Require("verilator");
        string version = ToolVersion(verilator, "--version");
        string[] flags = ["--cc", "--exe", "--build", "-j", "2", "-Wall", "--top-module", Top, "--prefix", "Vtop", .. (traced ? new[] { "--trace" } : []),
            // Fast code (the per-cycle evaluation) at -O2; the slow code (construction and
            // initial blocks, run once) at -O0, which compiles the 64 x 64 engine 15 s sooner.
            .. (options.OptimizeForSpeed ? new[] { "-MAKEFLAGS", "OPT_FAST=-O2", "-MAKEFLAGS", "OPT_SLOW=-O0" } : [])];
        string key = BuildCache.Key(design.KeyParts("verilator", version, string.Join(' ', flags), ["main.cpp", "bnn_harness.h", "bnn_cosim.vlt"]));
        return cache.GetOrBuild(key, temp =>
        {
            string obj = Path.Combine(temp, "obj");
            var output = verilator.Run(
                [.. flags, "-Mdir", obj, "-I" + design.Dir, "-CFLAGS", "-I" + design.Harness,
                 Path.Combine(design.Harness, "bnn_cosim.vlt"), .. design.SourcePaths, Path.Combine(design.Harness, "main.cpp")],
                temp, options.BuildTimeout);
            if (output.ExitCode != 0)
                throw new BnnHdlException($"verilator build of {design.Dir} failed:\n{output.Tail()}");
            File.Move(Path.Combine(obj, "Vtop"), Path.Combine(temp, "Vtop"));
            Directory.Delete(obj, recursive: true);
        });
    }

    private static (string Folder, bool Built) BuildIcarus(Design design, BuildCache cache, CosimOptions options)
    {
        var iverilog = ExternalTool.Require("iverilog");
        ExternalTool.Require("vvp");
        string version = ToolVersion(iverilog, "-V");
        string[] flags = ["-g2012", "-s", "tb_icarus"];
        string key = BuildCache.Key(design.KeyParts("icarus", version, string.Join(' ', flags), ["tb_icarus.v"]));
        return cache.GetOrBuild(key, temp =>
        {
            var output = iverilog.Run(
                [.. flags, "-I" + design.Dir, "-o", Path.Combine(temp, "sim.vvp"), .. design.SourcePaths, Path.Combine(design.Harness, "tb_icarus.v")],
                temp, options.BuildTimeout);
            if (output.ExitCode != 0)
                throw new BnnHdlException($"iverilog build of {design.Dir} failed:\n{output.Tail()}");
        });
    }

    private static readonly ConcurrentDictionary<string, string> Versions = new();

    /// <summary>The tool's version line (part of every build key: a new simulator rebuilds), asked once per process.</summary>
    private static string ToolVersion(ExternalTool tool, string flag) =>
        Versions.GetOrAdd(tool.Path, _ => tool.Run([flag], Path.GetTempPath(), TimeSpan.FromMinutes(1)).Stdout.Split('\n')[0]);

    /// <summary>Deletes a temporary run folder, best effort.</summary>
    internal static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary run folder is harmless.
        }
    }
}
