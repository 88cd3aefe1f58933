using System.CommandLine;
using BnnHdl.Golden;
using BnnHdl.Quant;
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
        var network = CommonOptions.AddNetworkOptions(command);
        var seed = CommonOptions.Seed();
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder to write the golden set to (replaced as a whole when complete).",
            Required = true,
        };
        var image = new Option<FileInfo?>("--image")
        {
            Description = "Input image (PPM or PGM, 8-bit) instead of a seeded random input; its size must match the input.",
        };
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(image);
        command.SetAction(parsed =>
        {
            var graph = network.Load(parsed);
            string dir = parsed.GetValue(output)!.ToString();
            GoldenExporter.CheckTarget(dir); // fail on a bad --out before the long work
            long s = parsed.GetValue(seed);
            var imageFile = parsed.GetValue(image);
            var input = imageFile is null
                ? InputImages.Random(graph.Input.Output, s)
                : InputImages.ReadPnm(imageFile.FullName, imageFile.ToString(), graph.Input.Output);
            int layers = graph.Layers.Count;
            graph = RandomParameters.Fill(graph, input, s, console.Stage("calibrate", layers));
            var run = ReferenceModel.Run(graph, input, console.Stage("reference", layers));
            GoldenExporter.Export(graph, run, dir, s);
            console.Out.WriteLine($"golden set of '{graph.Name}' ({run.Tensors.Count} tensors, {layers} layers, seed {s}) written to {dir}");
            return 0;
        });
        return command;
    }
}
