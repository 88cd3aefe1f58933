using System.Text;
using System.Text.RegularExpressions;
using BnnHdl.Emit;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// Rules of the hand-written RTL: bnn_engine lints clean on its own with a hand-written
/// parameter header at several shapes, it reads exactly the descriptor fields the emitter
/// lays out (<see cref="RtlFields"/>), no Verilog source uses the '*' operator (multiplies
/// are AND gates and popcounts; address products come precomputed in the descriptors), and
/// every file holds one module named like the file.
/// </summary>
public sealed partial class EngineSourceTests
{
    private static readonly string[] EngineFiles = ["bnn_engine.v", "bnn_pe.v", "bnn_popcount.v", "bnn_accum.v", "bnn_channel_pool.v", "bnn_wb_lane.v", "bnn_wb_segment.v", "bnn_wb_slots.v", "bnn_seg_input.v", "bnn_pe_array.v", "bnn_beat_walker.v"];

    [Theory]
    [InlineData(4, 8, 16, 16)]
    [InlineData(16, 32, 20, 12)]
    [InlineData(64, 64, 24, 24)]
    [InlineData(3, 6, 10, 14)]
    [InlineData(1, 1, 8, 8)]
    [InlineData(8, 96, 20, 16, 8, 16)]
    [InlineData(4, 8, 16, 16, 2, 1)]
    [InlineData(64, 64, 24, 24, 4, 16, 2)]
    [InlineData(12, 96, 20, 16, 2, 16, 4)]
    public void Engine_lints_clean_with_a_hand_written_header(int p, int s, int aw, int tw, int segs = 1, int fb = 1, int pegs = 1)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bnn-hdl-engine-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var (header, pmBits, ttBits) = HandHeader();
            File.WriteAllText(Path.Combine(dir, "bnn_params.vh"), header);
            Lint("bnn_engine", EngineFiles,
            [
                ("P", S(p)), ("S", S(s)), ("AW", S(aw)), ("TW", S(tw)), ("TS", "4"), ("CW", "12"),
                ("FM_AW", "12"), ("WM_AW", "10"), ("TM_AW", "9"), ("TT_AW", "6"), ("PM_AW", "4"),
                ("PM_W", S(pmBits)), ("TT_W", S(ttBits)), ("WM_W", S(p * s)), ("TM_W", S(p * (4 * tw + 1))), ("LID_W", "4"),
                ("SEGS", S(segs)), ("FB", S(fb)), ("PEGS", S(pegs)),
            ], includeDir: dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_engine_reads_exactly_the_emitted_fields()
    {
        string engine = File.ReadAllText(Template("bnn_engine.v"));
        var program = FieldRead().Matches(engine).Where(m => m.Groups[1].Value == "PM").Select(m => m.Groups[2].Value).Distinct();
        var tile = FieldRead().Matches(engine).Where(m => m.Groups[1].Value == "TT").Select(m => m.Groups[2].Value).Distinct();
        Assert.Equal(RtlFields.Program.Select(f => f.ToUpperInvariant()).Order(), program.Order());
        Assert.Equal(RtlFields.Tile.Select(f => f.ToUpperInvariant()).Order(), tile.Order());
    }

    /// <summary>
    /// No source multiplies at run time: the only '*' are the bodies of the constant offset
    /// functions (`lane_offset = lane * width;`), whose every call has elaboration-time
    /// arguments (a loop there would stay run-time code in Verilator; RtlEmitterTests checks
    /// that Yosys finds no multiplier cell in the elaborated design).
    /// </summary>
    [Fact]
    public void No_verilog_source_multiplies()
    {
        var sources = Directory.GetFiles(SourceTree.Default.Templates, "*.v")
            .Concat(Directory.GetFiles(SourceTree.Default.Templates, "*.v.hbs"))
            .Concat(Directory.GetFiles(SourceTree.Default.Templates, "*.vh"))
            .Append(Path.Combine(SourceTree.Default.Testbench, "tb_icarus.v"))
            .ToList();
        Assert.Contains(sources, f => f.EndsWith("bnn_engine.v", StringComparison.Ordinal));
        foreach (string file in sources)
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                Assert.False(lines[i].Contains('*') && !ConstantOffset().IsMatch(lines[i]), $"{Path.GetFileName(file)}:{i + 1} uses '*': {lines[i].Trim()}");
        }
    }

    [Fact]
    public void Every_block_is_one_module_named_like_its_file()
    {
        foreach (string block in RtlEmitter.Blocks)
        {
            var modules = ModuleDeclaration().Matches(File.ReadAllText(Template(block))).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal([Path.GetFileNameWithoutExtension(block)], modules);
        }
    }

    /// <summary>A program and tile layout holding the engine's fields, written by hand (as wide as a small network needs).</summary>
    private static (string Header, int ProgramBits, int TileBits) HandHeader()
    {
        var sb = new StringBuilder();
        int Section(string prefix, IEnumerable<(string Name, int Width)> fields)
        {
            int lsb = 0;
            foreach (var (name, width) in fields)
            {
                sb.Append($"localparam integer {prefix}_{name.ToUpperInvariant()}_LSB = {lsb};\n");
                sb.Append($"localparam integer {prefix}_{name.ToUpperInvariant()}_W = {width};\n");
                lsb += width;
            }
            return lsb;
        }
        var widths = new Dictionary<string, int>
        {
            ["in_base"] = 12, ["in_h"] = 6, ["in_w"] = 6, ["in_k"] = 4, ["pad_one"] = 1, ["out_base"] = 12, ["out_k"] = 5,
            ["out_raw"] = 1, ["n_thr"] = 8, ["xcp_log2"] = 2,
            ["res_kind"] = 2, ["res_base"] = 12, ["res_k"] = 5, ["res_pix_step"] = 8, ["sa"] = 2, ["sb"] = 2, ["oh"] = 6, ["ow"] = 6, ["kh"] = 3, ["kw"] = 3, ["pt"] = 2, ["pl"] = 2,
            ["sx_step"] = 8, ["sy_step"] = 11, ["dx_step"] = 8, ["dy_step"] = 11, ["pad_step"] = 11, ["sy"] = 2, ["sx"] = 2,
            ["dy"] = 2, ["dx"] = 2, ["sc"] = 2, ["sk"] = 1, ["corr"] = 1, ["tile_base"] = 6, ["n_tiles"] = 5,
            ["layer_id"] = 4, ["last"] = 1,
            ["in_signed"] = 1, ["lane_mode"] = 1, ["pool_max"] = 1, ["ew_op"] = 1, ["out_x_step"] = 8, ["out_y_step"] = 11,
            ["end_layer"] = 1, ["ones"] = 1, ["bcast"] = 1, ["bc_base"] = 12, ["bc_k"] = 4, ["bc_per_tap"] = 1,
            ["bc_word_step"] = 8, ["bc_lane0"] = 6, ["bcorr"] = 1, ["sbc"] = 1, ["inside_count"] = 1, ["in_cb_step"] = 12, ["bc_cb_step"] = 12, ["seg_log2"] = 2, ["res_row_step"] = 10, ["win"] = 1, ["vert"] = 1, ["peg_log2"] = 2,
            ["active"] = 7, ["cb_off"] = 6, ["ncb"] = 3, ["ncb_k"] = 6, ["lane_lo"] = 6, ["lane_hi"] = 7, ["lane0"] = 6,
            ["out_off"] = 8, ["res_lane0"] = 6, ["res_off"] = 8, ["wb"] = 10, ["tb"] = 9,
        };
        int pm = Section("PM", RtlFields.Program.Select(f => (f, widths[f])));
        int tt = Section("TT", RtlFields.Tile.Select(f => (f, widths[f])));
        return (sb.ToString(), pm, tt);
    }

    [GeneratedRegex(@"\b(PM|TT)_([A-Z0-9_]+?)_LSB\b")]
    private static partial Regex FieldRead();

    [GeneratedRegex(@"^\s*(lane_offset|at|times) = \w+ \* \w+;$")]
    private static partial Regex ConstantOffset();

    [GeneratedRegex(@"^\s*module\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex ModuleDeclaration();
}
