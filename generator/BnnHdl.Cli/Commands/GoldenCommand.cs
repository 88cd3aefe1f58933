using System.CommandLine;
using BnnHdl.Golden;
using BnnHdl.Reference;

namespace BnnHdl.Cli.Commands;

/// <summary>
/// `bnn-hdl golden`: fills missing parameters (seeded), runs the reference model and writes
/// the golden set (SPEC.md section 6) atomically.
/// </summary>
public static class GoldenCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("golden",
            "Export a golden set (bnn-hdl-golden/1: manifest.json, .npy and .memh of every tensor and parameter).\n" +
            "Weights are random with the given seed unless the network gives them; thresholds are drawn from each\n" +
            "layer's actual accumulator distribution so that every output level occurs.");
        var run = new RunOptions(command);
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder to write the golden set to (replaced as a whole when complete).",
            Required = true,
        };
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(output)!.ToString();
            GoldenExporter.CheckTarget(dir); // fail on a bad --out before the long work
            var net = run.Prepare(parsed, console);
            var result = ReferenceModel.Run(net.Graph, net.Input, console.Stage("reference", net.Graph.Layers.Count));
            GoldenExporter.Export(net.Graph, result, dir, net.Seed);
            console.Out.WriteLine($"golden set of '{net.Graph.Name}' ({result.Tensors.Count} tensors, {net.Graph.Layers.Count} layers, seed {net.Seed}) written to {dir}");
            return 0;
        });
        return command;
    }
}
