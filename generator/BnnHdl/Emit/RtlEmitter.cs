using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Reference;

namespace BnnHdl.Emit;

/// <summary>One generated file: its path inside the output folder ('/'-separated) and its text.</summary>
public sealed record GeneratedFile(string Path, string Text);

/// <summary>
/// The Verilog emitter of the engine (docs/engine.md "Files"): the generated top and
/// parameter header, the hand-written building blocks it instantiates, the memory images,
/// the layer list, a filelist, a FuseSoC core and the co-simulation harnesses (tb/). It
/// only prints: every width, depth, name and address comes from the lowered program and
/// <see cref="RtlParameters"/>. The output is deterministic (no timestamps, no absolute
/// paths) and written atomically.
/// </summary>
public static class RtlEmitter
{
    /// <summary>The building blocks, in dependency order (the filelist and the core list them so).</summary>
    public static IReadOnlyList<string> Blocks { get; } =
        ["bnn_popcount.v", "bnn_accum.v", "bnn_pe.v", "bnn_channel_pool.v", "bnn_wb_lane.v", "bnn_wb_segment.v", "bnn_wb_slots.v", "bnn_seg_input.v", "bnn_pe_array.v", "bnn_beat_walker.v", "bnn_fm_banks.v", "bnn_rom.v", "bnn_engine.v"];

    /// <summary>Every Verilog source of the design (the headers are included by the blocks).</summary>
    public static IReadOnlyList<string> Sources { get; } = [.. Blocks, "bnn_engine_top.v"];

    /// <summary>The included headers: the generated field layout and the blocks' shared elaboration helpers.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["bnn_params.vh", "bnn_offsets.vh"];

    /// <summary>Harness files copied from testbench/ into tb/.</summary>
    public static IReadOnlyList<string> HarnessFiles { get; } = ["tb_icarus.v", "main.cpp", "bnn_cosim.vlt"];

    /// <summary>Renders every file for <paramref name="program"/> running on <paramref name="input"/>.</summary>
    public static IReadOnlyList<GeneratedFile> Render(LoweredProgram program, TensorData input, SourceTree? tree = null)
    {
        tree ??= SourceTree.Default;
        var parameters = RtlParameters.Of(program);
        var view = RtlView.Of(parameters);
        var renderer = new TemplateRenderer();
        string Render(string template) => renderer.Render(template, tree.Template(template), view);

        var files = new List<GeneratedFile>
        {
            new("bnn_engine_top.v", Render("bnn_engine_top.v.hbs")),
            new("bnn_params.vh", Render("bnn_params.vh.hbs")),
            new("bnn_offsets.vh", tree.Template("bnn_offsets.vh")),
        };
        files.AddRange(Blocks.Select(b => new GeneratedFile(b, tree.Template(b))));
        files.Add(new("fm.memh", program.FeatureImage(input).ToMemh()));
        files.Add(new("wm.memh", program.Images.Weights.ToMemh()));
        files.Add(new("tm.memh", program.Images.Thresholds.ToMemh()));
        files.Add(new("tt.memh", parameters.Words.TileImage.ToMemh()));
        files.Add(new("pm.memh", parameters.Words.ProgramImage.ToMemh()));
        files.Add(new("layers.txt", LayerList(program)));
        files.Add(new("files.f", Render("files.f.hbs")));
        files.Add(new("bnn_engine.core", Render("bnn_engine.core.hbs")));
        files.AddRange(HarnessFiles.Select(h => new GeneratedFile("tb/" + h, tree.Harness(h))));
        files.Add(new("tb/bnn_harness.h", renderer.Render("bnn_harness.h.hbs", tree.Harness("bnn_harness.h.hbs"), view)));
        return files;
    }

    /// <summary>Renders and writes everything to <paramref name="outDir"/> at once (see <see cref="RtlFolder"/>).</summary>
    public static void Write(LoweredProgram program, TensorData input, string outDir, SourceTree? tree = null)
    {
        RtlFolder.Check(outDir);
        var files = Render(program, input, tree);
        RtlFolder.Write(outDir, files);
    }

    /// <summary>
    /// layers.txt: "&lt;layer id&gt; &lt;out base&gt; &lt;words&gt;" per layer, the output
    /// region the harnesses dump at that layer's layer_done.
    /// </summary>
    public static string LayerList(LoweredProgram program)
    {
        var sb = new StringBuilder();
        foreach (var layer in program.Layers)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{layer.Descriptor.LayerId} {layer.OutRegion.Base} {layer.OutRegion.Words}\n"));
        return sb.ToString();
    }
}
