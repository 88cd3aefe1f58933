using System.CommandLine;
using BnnHdl.Emit;
using BnnHdl.Lowering;
using BnnHdl.Reports;

namespace BnnHdl.Cli.Commands;

/// <summary>`bnn-hdl generate`: the RTL, memory images, filelist, FuseSoC core and parameter header.</summary>
public static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("generate",
            "Generate the engine for a network: Verilog (templates + generated wrapper), the parameter header, the\n" +
            "memory images (program, tiles, weights, thresholds, input), a filelist and a FuseSoC core; then print the\n" +
            "engine summary: layers, MACs, predicted cycles, lane utilization, memory sizes and the logic's gates\n" +
            "per module (Yosys generic cells, estimated; memories excluded).");
        var run = new RunOptions(command);
        var engine = new EngineOptions(command);
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder to write the RTL to (replaced as a whole when complete).",
            Required = true,
        };
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            var config = engine.Config(parsed);
            string dir = parsed.GetValue(output)!.ToString();
            RtlFolder.Check(dir);
            var net = run.Prepare(parsed, console, g => Legalize.Check(g, config));
            var program = LoweringPipeline.Lower(net.Graph, config);
            RtlEmitter.Write(program, net.Input, dir);
            console.Out.WriteLine($"engine for '{net.Graph.Name}' ({program.Layers.Count} layers, P x S = {config}) written to {dir}");
            console.Out.Write(EngineSummary.Of(net.Graph, program).Format());
            return 0;
        });
        return command;
    }
}
