using System.Text.RegularExpressions;
using BnnHdl.Cosim;
using BnnHdl.Emit;
using BnnHdl.Tests.Support;
using Xunit.Sdk;

namespace BnnHdl.Tests.Emit;

/// <summary>
/// The RTL folder: the documented files, deterministic and without absolute paths, images
/// with every memory word, the layer list, readable generated files (snapshots), clean
/// Verilator lint of the generated design (and elaboration in Icarus and Yosys), and atomic
/// replacement that never touches a folder the emitter did not write.
/// </summary>
public sealed partial class RtlEmitterTests
{
    private static readonly string[] ExpectedFiles =
    [
        "bnn_accum.v", "bnn_beat_walker.v", "bnn_channel_pool.v", "bnn_engine.core", "bnn_engine.v", "bnn_engine_top.v", "bnn_fm_banks.v", "bnn_offsets.vh", "bnn_params.vh", "bnn_pe.v", "bnn_pe_array.v",
        "bnn_popcount.v", "bnn_rom.v", "bnn_seg_input.v", "bnn_wb_lane.v", "bnn_wb_segment.v", "bnn_wb_slots.v", "files.f", "fm.memh", "layers.txt", "pm.memh",
        "tb/bnn_cosim.vlt", "tb/bnn_harness.h", "tb/main.cpp", "tb/tb_icarus.v", "tm.memh", "tt.memh", "wm.memh",
    ];

    [Fact]
    public void Writes_the_documented_files()
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var network = EmitFixtures.Small;
        RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, outDir);
        var files = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedFiles, files);
        Assert.Equal(["rtl"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Output_is_deterministic_and_free_of_absolute_paths()
    {
        var network = EmitFixtures.DenseMix;
        var first = RtlEmitter.Render(EmitFixtures.Lower(network, 16, 32), network.Input);
        var second = RtlEmitter.Render(EmitFixtures.Lower(network, 16, 32), network.Input);
        Assert.Equal(first, second);
        string root = SourceTree.Default.Root;
        foreach (var file in first)
        {
            Assert.DoesNotContain(root, file.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetTempPath(), file.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Images_hold_every_word_of_every_memory()
    {
        var network = EmitFixtures.DenseMix;
        var program = EmitFixtures.Lower(network, 4, 8);
        var files = RtlEmitter.Render(program, network.Input).ToDictionary(f => f.Path, f => f.Text);
        var dims = program.Dimensions;
        var parameters = RtlParameters.Of(program);
        AssertImage(files["fm.memh"], dims.FmWords, 8);
        AssertImage(files["wm.memh"], dims.WmWords, 4 * 8);
        // One word per tile; per PE the bias and 3 thresholds (U2 outputs) and a direction bit.
        Assert.Equal(dims.TileWords, dims.TmWords);
        AssertImage(files["tm.memh"], dims.TmWords, 4 * (4 * dims.ThresholdBits + 1));
        AssertImage(files["tt.memh"], dims.TileWords, parameters.Words.Tile.Bits);
        AssertImage(files["pm.memh"], dims.ProgramWords, parameters.Words.Program.Bits);
        // The input sits at word 0 (docs/engine.md): its first word is not all zero.
        Assert.Equal(program.FeatureImage(network.Input).ToMemh(), files["fm.memh"]);
        Assert.Equal(program.Images.Weights.ToMemh(), files["wm.memh"]);
        Assert.Equal(program.Images.Thresholds.ToMemh(), files["tm.memh"]);
    }

    [Fact]
    public void The_layer_list_names_every_output_region()
    {
        var network = EmitFixtures.DenseMix;
        var program = EmitFixtures.Lower(network, 4, 8);
        var lines = RtlEmitter.LayerList(program).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(program.Layers.Count, lines.Length);
        for (int k = 0; k < lines.Length; k++)
        {
            var r = program.Layers[k].OutRegion;
            Assert.Equal($"{k} {r.Base} {r.Words}", lines[k]);
        }
    }

    [Fact]
    public void Generated_top_header_and_filelist_read_as_expected()
    {
        var network = EmitFixtures.Small;
        var files = RtlEmitter.Render(EmitFixtures.Lower(network, 4, 8), network.Input).ToDictionary(f => f.Path, f => f.Text);
        Snapshot.Match(files["bnn_engine_top.v"], "small_4x8_bnn_engine_top.v");
        Snapshot.Match(files["bnn_params.vh"], "small_4x8_bnn_params.vh");
        Snapshot.Match(files["files.f"], "small_4x8_files.f");
        Snapshot.Match(files["bnn_engine.core"], "small_4x8_bnn_engine.core");
        Snapshot.Match(files["tb/bnn_harness.h"], "small_4x8_bnn_harness.h");
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(16, 32)]
    [InlineData(64, 64)]
    [InlineData(8, 96)]
    public void Generated_rtl_lints_clean_and_compiles_in_icarus(int p, int s)
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var network = EmitFixtures.DenseMix;
        RtlEmitter.Write(EmitFixtures.Lower(network, p, s), network.Input, outDir);
        var lint = ExternalTool.Require("verilator").Run(["--lint-only", "-Wall", "-f", "files.f", "--top-module", "bnn_engine_top"], outDir, TimeSpan.FromMinutes(2));
        string text = (lint.Stderr + lint.Stdout).Trim();
        if (lint.ExitCode != 0 || text.Length > 0) throw new XunitException($"lint of dense-mix on {p}x{s}:\n{text}");
        var compile = ExternalTool.Require("iverilog").Run(["-g2012", "-o", "sim.vvp", "-c", "files.f", "tb/tb_icarus.v"], outDir, TimeSpan.FromMinutes(2));
        text = (compile.Stderr + compile.Stdout).Trim();
        if (compile.ExitCode != 0 || text.Length > 0) throw new XunitException($"iverilog of dense-mix on {p}x{s}:\n{text}");
    }

    /// <summary>
    /// After elaboration the design holds no multiplier, divider or modulo cell: the offset
    /// functions that multiply (lane x width) are elaboration-time constants, every run-time
    /// product is shifts and adds (a select that matches a cell fails the script).
    /// </summary>
    private const string NoArithmeticCells = "select -assert-none t:$mul t:$macc t:$div t:$mod t:$divfloor t:$modfloor t:$pow";

    [Fact]
    public void Generated_rtl_elaborates_in_yosys()
    {
        // Yosys 0.23 reads a smaller SystemVerilog subset than the simulators (no packed
        // arrays of vectors, for one); the design must stay inside it for synthesis.
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var network = EmitFixtures.DenseMix;
        RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, outDir);
        string script = $"read_verilog -sv -I. {string.Join(' ', RtlEmitter.Sources)}; hierarchy -check -top bnn_engine_top; proc; {NoArithmeticCells}";
        var yosys = ExternalTool.Require("yosys").Run(["-q", "-p", script], outDir, TimeSpan.FromMinutes(2));
        string text = (yosys.Stderr + yosys.Stdout).Trim();
        if (yosys.ExitCode != 0 || text.Length > 0) throw new XunitException($"yosys of dense-mix on 4x8:\n{text}");
    }

    [Fact]
    public void Segmented_rtl_elaborates_in_yosys()
    {
        // Segments add generate-scoped wires read across generate loops and word selectors:
        // still inside the subset Yosys reads.
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var (g, input) = BnnHdl.Tests.Engine.LaneMixTests.Network.Value;
        var program = BnnHdl.Lowering.LoweringPipeline.Lower(g, new BnnHdl.Engine.EngineConfig(16, 32, segments: 4, banks: 8));
        Assert.True(program.Dimensions.Segments > 1);
        RtlEmitter.Write(program, input, outDir);
        string script = $"read_verilog -sv -I. {string.Join(' ', RtlEmitter.Sources)}; hierarchy -check -top bnn_engine_top; proc; {NoArithmeticCells}";
        var yosys = ExternalTool.Require("yosys").Run(["-q", "-p", script], outDir, TimeSpan.FromMinutes(2));
        string text = (yosys.Stderr + yosys.Stdout).Trim();
        if (yosys.ExitCode != 0 || text.Length > 0) throw new XunitException($"yosys of segmented lane-mix on 16x32:\n{text}");
    }

    [Fact]
    public void Rtl_with_pe_groups_and_strided_segments_elaborates_in_yosys()
    {
        // PE groups add per-group act vectors and slot selectors, strided segments the
        // shift-and-add column of every position: still inside the subset Yosys reads.
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var (g, input) = BnnHdl.Tests.Support.SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Fewer(9, 15, 8), 9);
        var program = BnnHdl.Lowering.LoweringPipeline.Lower(g, new BnnHdl.Engine.EngineConfig(8, 16, segments: 4, banks: 16, peGroups: 4));
        Assert.Equal(4, program.Dimensions.PeGroups);
        RtlEmitter.Write(program, input, outDir);
        string script = $"read_verilog -sv -I. {string.Join(' ', RtlEmitter.Sources)}; hierarchy -check -top bnn_engine_top; proc; {NoArithmeticCells}";
        var yosys = ExternalTool.Require("yosys").Run(["-q", "-p", script], outDir, TimeSpan.FromMinutes(2));
        string text = (yosys.Stderr + yosys.Stdout).Trim();
        if (yosys.ExitCode != 0 || text.Length > 0) throw new XunitException($"yosys of fewer on 8x16 with PE groups:\n{text}");
    }

    [Fact]
    public void Refuses_to_replace_a_folder_it_did_not_write()
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "mine");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "keep me");
        var network = EmitFixtures.Small;
        var e = Assert.Throws<BnnHdlException>(() => RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, outDir));
        Assert.Equal($"cannot write the RTL to '{outDir}': the folder exists and holds no generated bnn_engine_top.v; refusing to replace it", e.Message);
        Assert.Equal(["notes.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void Replaces_an_earlier_rtl_folder_completely()
    {
        using var dir = new TempFolder();
        string outDir = Path.Combine(dir.Path, "rtl");
        var network = EmitFixtures.Small;
        RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, outDir);
        File.WriteAllText(Path.Combine(outDir, "stale.txt"), "from an old run");
        RtlEmitter.Write(EmitFixtures.Lower(network, 16, 32), network.Input, outDir);
        Assert.False(File.Exists(Path.Combine(outDir, "stale.txt")));
        Assert.Contains("P x S = 16 x 32", File.ReadAllText(Path.Combine(outDir, "bnn_engine_top.v")), StringComparison.Ordinal);
        Assert.Equal(["rtl"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Refuses_a_file_as_the_folder()
    {
        using var dir = new TempFolder();
        string file = Path.Combine(dir.Path, "rtl");
        File.WriteAllText(file, "");
        var network = EmitFixtures.Small;
        var e = Assert.Throws<BnnHdlException>(() => RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, file));
        Assert.Equal($"cannot write the RTL to '{file}': it is a file, not a folder", e.Message);
    }

    private static void AssertImage(string memh, int depth, int bits)
    {
        var lines = memh.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(depth, lines.Length);
        int digits = (bits + 3) / 4;
        Assert.All(lines, l => Assert.Matches(HexWord(), l));
        Assert.All(lines, l => Assert.Equal(digits, l.Length));
    }

    [GeneratedRegex("^[0-9a-f]+$")]
    private static partial Regex HexWord();
}
