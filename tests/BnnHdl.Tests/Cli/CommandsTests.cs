using System.Text.Json;
using System.Text.RegularExpressions;

namespace BnnHdl.Tests.Cli;

public class CommandsTests
{
    [Fact]
    public void Models_lists_one_line_per_model()
    {
        var r = CliRunner.Run("models");
        Assert.Equal(0, r.ExitCode);
        var names = r.Out.TrimEnd('\n').Split('\n').Select(l => l.Split(' ')[0]).ToArray();
        Assert.Equal(BnnHdl.Zoo.ModelZoo.Models.Select(m => m.Name), names);
        Assert.StartsWith("mscan-t-sparseinst      MSCAN-T + SparseInst G-IAM", r.Out);
    }

    [Fact]
    public void Describe_json_totals_of_mobilenetv2()
    {
        var r = CliRunner.Run("describe", "--model", "mobilenetv2", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var totals = JsonDocument.Parse(r.Out).RootElement.GetProperty("totals");
        Assert.Equal(300_774_272, totals.GetProperty("macs").GetInt64());
        Assert.Equal(3_470_760, totals.GetProperty("params").GetInt64());
    }

    [Fact]
    public void Describe_takes_an_input_override()
    {
        var r = CliRunner.Run("describe", "--model", "tinyyolov2", "--input", "3,320,320", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var layers = JsonDocument.Parse(r.Out).RootElement.GetProperty("layers");
        Assert.Equal("[125,10,10]", layers[layers.GetArrayLength() - 1].GetProperty("output_shape").GetRawText());
    }

    [Fact]
    public void Golden_exports_the_same_bytes_twice_and_reports_what_it_wrote()
    {
        using var dir = new CliRunner.TempDir();
        var first = CliRunner.Run("golden", "--model", "tiny", "--seed", "7", "--out", dir.File("a"));
        var second = CliRunner.Run("golden", "--model", "tiny", "--seed", "7", "--out", dir.File("b"));
        Assert.Equal(0, first.ExitCode);
        // stderr carries only progress: a line per tenth of the layers of each stage.
        Assert.All(first.Error.TrimEnd('\n').Split('\n'), l => Assert.Matches(@"^(calibrate|reference): \d+/45 \S+$", l));
        Assert.Equal($"golden set of 'tiny' (45 tensors, 45 layers, seed 7) written to {dir.File("a")}\n", first.Out);
        var files = Directory.GetFiles(dir.File("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("a"), f)).Order().ToList();
        Assert.Contains("manifest.json", files);
        Assert.Equal(files, Directory.GetFiles(dir.File("b"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("b"), f)).Order());
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("a"), f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("b"), f))), f);
        Assert.Equal(0, second.ExitCode);
    }

    [Fact]
    public void Golden_refuses_an_output_path_under_a_file_before_working()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("plain"), "x");
        var r = CliRunner.Run("golden", "--model", "mobilenetv2", "--out", Path.Combine(dir.File("plain"), "set"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("bnn-hdl: error: ", r.Error);
        Assert.DoesNotContain("calibrate", r.Error);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("mobilenetv2", "2", "bnn-hdl: error: model 'mobilenetv2' has no Condensation-Net option; --xcp applies to mscan-t-sparseinst, mscan-s-sparseinst, tinyyolov2, tinyyolov2-face\n")]
    [InlineData("tinyyolov2-face", "3", "bnn-hdl: error: --xcp must be 2 or 4 (Condensation-Net pooling groups), got 3\n")]
    public void Describe_rejects_an_xcp_the_model_cannot_take_in_one_line(string model, string xcp, string error)
    {
        var r = CliRunner.Run("describe", "--model", model, "--xcp", xcp);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(error, r.Error);
    }

    [Fact]
    public void Describe_sizes_the_sparseinst_decoder()
    {
        var r = CliRunner.Run("describe", "--model", "mscan-t-sparseinst", "--input", "3,64,64", "--decoder-width", "64", "--instances", "10", "--classes", "3", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var shapes = JsonDocument.Parse(r.Out).RootElement.GetProperty("layers").EnumerateArray()
            .ToDictionary(l => l.GetProperty("name").GetString()!, l => string.Join("x", l.GetProperty("output_shape").EnumerateArray().Select(d => d.GetInt32())));
        Assert.Equal("3x1x10", shapes["decoder.inst_branch.cls_score"]);
        Assert.Equal("10x8x8", shapes["decoder.masks"]);
        Assert.Equal("64x8x8", shapes["encoder.fusion"]);
    }

    [Theory]
    [InlineData("tiny", "64", "bnn-hdl: error: model 'tiny' has no SparseInst decoder; --decoder-width, --instances and --classes apply to mscan-t-sparseinst, mscan-s-sparseinst, mscan-t-sparseinst-xcp\n")]
    [InlineData("mscan-t-sparseinst", "30", "bnn-hdl: error: --decoder-width must be a positive multiple of 4 (the PPM branches are width / 4 wide), got 30\n")]
    public void Decoder_options_the_model_cannot_take_get_one_line(string model, string width, string error)
    {
        var r = CliRunner.Run("describe", "--model", model, "--decoder-width", width);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(error, r.Error);
    }

    [Fact]
    public void Describe_widens_a_model_with_xcp()
    {
        var r = CliRunner.Run("describe", "--model", "tinyyolov2-face", "--xcp", "4", "--input", "3,64,64", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var layers = JsonDocument.Parse(r.Out).RootElement.GetProperty("layers").EnumerateArray().ToList();
        // Eight 3x3 convolutions four times wide, each pooled back by 4 at write-back.
        Assert.Equal(8, layers.Count(l => l.GetProperty("op").GetString() == "CrossChannelMaxPool"));
        Assert.Equal([64, 16], layers.Where(l => l.GetProperty("name").GetString() is "conv1.act" or "conv1.xcp").Select(l => l.GetProperty("output_shape")[0].GetInt32()));
    }

    [Fact]
    public void A_weights_template_goes_back_in_with_weights()
    {
        using var dir = new CliRunner.TempDir();
        var t = CliRunner.Run("weights-template", "--model", "tiny", "--out", dir.File("w.npz"));
        Assert.Equal(0, t.ExitCode);
        Assert.StartsWith("weights template of 'tiny' (", t.Out);
        var g = CliRunner.Run("golden", "--model", "tiny", "--weights", dir.File("w.npz"), "--out", dir.File("set"));
        Assert.True(g.ExitCode == 0, g.Error);
        Assert.True(File.Exists(Path.Combine(dir.File("set"), "manifest.json")));
    }

    [Fact]
    public void Weights_that_are_no_archive_get_one_line()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("w.npz"), "not a zip");
        var r = CliRunner.Run("golden", "--model", "tiny", "--weights", dir.File("w.npz"), "--out", dir.File("set"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"bnn-hdl: error: {dir.File("w.npz")}: not an .npz archive", r.Error);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(dir.File("set")));
    }

    [Fact]
    public void Golden_rejects_an_image_of_the_wrong_size_in_one_line()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllBytes(dir.File("img.pgm"), [.. "P5 4 4 255\n"u8, .. new byte[16]]);
        var r = CliRunner.Run("golden", "--model", "tiny", "--image", dir.File("img.pgm"), "--out", dir.File("set"));
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("img.pgm", r.Error);
        Assert.False(Directory.Exists(dir.File("set")));
    }
}

public class ScheduleCommandTests
{
    [Fact]
    public void Schedule_prints_the_lowered_program_with_predicted_cycles()
    {
        var r = CliRunner.Run("schedule", "--model", "dense-mix", "--pe", "16", "--lanes", "32");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("schedule of 'dense-mix' on the engine, P x S = 16 x 32\n", r.Out);
        // Layer 0 reads the input's windows (27 channels in one 32-lane word, 8 planes): 2 layer setup
        // + 1 tile: 2 tile setup + 255 positions x max(8 beats, 2 write-back) + the last one's
        // 8 beats, drain, acc cycle and 2 writes.
        Assert.Contains("layer 0: stem.conv (Conv2d + stem.act) -> stem.act\n", r.Out);
        Assert.Contains("  cycles: 2056\n", r.Out);
        Assert.Matches(@"\ntotal: \d+ cycles \(\d+ in layers \+ 1 start\)\n\nutilization of 'dense-mix' at P x S = 16 x 32", r.Out);
    }

    [Fact]
    public void An_oversized_engine_is_refused_before_any_work()
    {
        var r = CliRunner.Run("schedule", "--model", "dense-mix", "--pe", "65536", "--lanes", "65536");
        Assert.Equal((1, "bnn-hdl: error: engine configuration 65536x65536 (P x S): P and S must be at most 1024\n"), (r.ExitCode, r.Error));
    }

    [Fact]
    public void A_bad_engine_shape_is_one_line()
    {
        var r = CliRunner.Run("schedule", "--model", "dense-mix", "--pe", "16", "--lanes", "24");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("bnn-hdl: error: engine configuration 16x24 (P x S): S must be a multiple of P\n", r.Error);
    }
}

public partial class EngineCommandsTests
{
    [Fact]
    public void Generate_writes_the_rtl_images_filelist_and_core()
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run("generate", "--model", "dense-mix", "--pe", "4", "--lanes", "8", "--out", dir.File("rtl"));
        Assert.Equal(0, r.ExitCode);
        // Then the engine summary: the network's and the engine's figures, every memory.
        Assert.Equal($"engine for 'dense-mix' (7 layers, P x S = 4x8) written to {dir.File("rtl")}\n" +
            "summary of 'dense-mix' on P x S = 4x8:\n" +
            "  layers    14 in the network, 7 on the engine (7 program words)\n" +
            "  MACs      378,176 (1,269,376 binary MACs: one lane of one input bit-plane each)\n" +
            "  cycles    47,015 predicted (every cycle of every layer; the co-simulation checks each)\n" +
            "  lanes     84.4 % busy (binary MACs / (cycles x P x S))\n" +
            "  FM        10,240 x 8 bits = 10.0 KiB, feature memory (activations, read/write)\n" +
            "  WM        577 x 32 bits = 2.3 KiB, weight memory (read-only)\n" +
            "  TM        31 x 196 bits = 0.7 KiB, threshold memory (read-only)\n" +
            "  TT        31 x 72 bits = 0.3 KiB, tile table (read-only)\n" +
            "  PM        7 x 188 bits = 0.2 KiB, program memory (read-only)\n" +
            "  memory    13.4 KiB in all\n" +
            "  gates     11,693 cells estimated (Yosys generic gates after synth, memories excluded), by module:\n" +
            "            bnn_wb_lane           4 x   1,139 =      4,556  corrections, bias, residual, thresholds (with its popcount)\n" +
            "            bnn_beat_walker       1 x   2,336 =      2,336  positions, taps, blocks and planes: read addresses, pad tests, lane masks\n" +
            "            bnn_accum             9 x     217 =      1,953  shift by the plane, add or subtract, register\n" +
            "            bnn_pe_array          1 x   1,115 =      1,115  weight selection, per-PE corrections, max pooling, broadcast elements\n" +
            "            bnn_engine            1 x   1,065 =      1,065  layer and tile sequencer, write-back addresses, descriptor fields\n" +
            "            bnn_popcount          9 x      26 =        234  popcount of a run of 8 lanes\n" +
            "            bnn_wb_slots          1 x     160 =        160  write-back routing: residual bits in, output words out\n" +
            "            bnn_seg_input         1 x      99 =         99  the access's words to each position, slot, segment and PE\n" +
            "            bnn_pe                5 x      14 =         70  correction PEs: a PE of all-ones weights per lane (lane mode) and per PE group\n" +
            "            bnn_pe                4 x      14 =         56  layer PEs: AND of act and weight, run counts, segment selection\n" +
            "            bnn_channel_pool      1 x      41 =         41  cross-channel max of pairs and fours\n" +
            "            bnn_wb_segment        1 x       8 =          8  bit op of each lane's result\n", r.Out);
        foreach (var f in new[] { "bnn_engine_top.v", "bnn_engine.v", "bnn_params.vh", "fm.memh", "wm.memh", "tm.memh", "tt.memh", "pm.memh", "files.f", "bnn_engine.core" })
            Assert.True(File.Exists(Path.Combine(dir.File("rtl"), f)), f);
    }

    [Fact]
    public void Cosim_in_icarus_reports_every_layer_bit_exact_and_cycle_exact()
    {
        using var dir = new CliRunner.TempDir();
        var r = CliRunner.Run("cosim", "--model", "dense-mix", "--pe", "4", "--lanes", "8", "--simulator", "icarus", "--rtl", dir.File("rtl"));
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(8, lines.Length);
        Assert.All(lines[..7], l => Assert.Matches(@"^icarus: \S+ +bit-exact; \d+ cycles as predicted$", l));
        Assert.Matches(@"^icarus: PASS: 7 of 7 layers bit-exact and cycle-exact, run \d+ cycles as predicted$", lines[7]);
        // The simulator build is reported once, when it ends (built now, or from the shared cache).
        Assert.Single(r.Error.Split('\n'), l => BuildLine().IsMatch(l));
    }

    [GeneratedRegex(@"^cosim: (built the simulator in \d+ s \(cached for the next run\)|simulator build reused from the cache)$")]
    private static partial Regex BuildLine();

    [Theory]
    [InlineData("0", null, "bnn-hdl: error: --parts must be at least 1, not 0\n")]
    [InlineData("2", "run.vcd", "bnn-hdl: error: --trace writes the waveform of one run: it needs --parts 1\n")]
    [InlineData("8", null, "bnn-hdl: error: network 'dense-mix' has 7 engine layer(s): it cannot run in 8 parts\n")]
    public void Bad_parts_are_refused_before_the_simulation(string parts, string? trace, string error)
    {
        using var dir = new CliRunner.TempDir();
        string[] args = ["cosim", "--model", "dense-mix", "--pe", "4", "--lanes", "8", "--parts", parts, "--rtl", dir.File("rtl")];
        var r = CliRunner.Run(trace == null ? args : [.. args, "--trace", dir.File(trace)]);
        Assert.Equal((1, error), (r.ExitCode, r.Error[r.Error.IndexOf("bnn-hdl: ", StringComparison.Ordinal)..]));
        Assert.False(Directory.Exists(dir.File("rtl")));
    }

    [Fact]
    public void A_network_the_engine_cannot_run_is_refused_naming_the_layers()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("net.csx"), """
            var b = new NetworkBuilder("pooled");
            var x = b.Input(3, 8, 8);
            var s = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "conv"), DataType.B, name: "sign");
            b.Output(b.CrossChannelMaxPool(s, 8, name: "oct"), b.CrossChannelMaxPool(s, 4, name: "quad"));
            b.Build()
            """);
        var r = CliRunner.Run("generate", "--network", dir.File("net.csx"), "--seed", "1", "--pe", "2", "--lanes", "8", "--out", dir.File("rtl"));
        Assert.Equal(1, r.ExitCode);
        // Refused before calibration: the one error line is all it prints.
        var error = r.Error.TrimEnd('\n');
        Assert.Equal("bnn-hdl: error: network 'pooled': 2 problems: "
            + "layer 'oct' (CrossChannelMaxPool): group G=8 is not supported by the engine (it pools 2 or 4 channels); "
            + "layer 'quad' (CrossChannelMaxPool): group G=4 does not divide P=2, the engine's output channels per tile", error);
        Assert.False(Directory.Exists(dir.File("rtl")));
    }
}
