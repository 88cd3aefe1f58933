using System.CommandLine;
using BnnHdl.Decode;
using BnnHdl.Reference;

namespace BnnHdl.Cli.Commands;

/// <summary>
/// `bnn-hdl infer`: runs an instance-segmentation network (SparseInst heads) on an image with
/// the bit-exact reference model (what the engine computes) and decodes the outputs on the
/// host into instances: summary.json and one mask image each.
/// </summary>
public static class InferCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("infer",
            "Run an instance-segmentation network (SparseInst heads) on an image (or the seeded random input) and decode\n" +
            "its outputs on the host:\n" +
            "per instance score = sqrt(sigmoid(class) x sigmoid(objectness)), class, and the mask (sigmoid > 0.45 at the\n" +
            "input size, rescored by mask-ness); writes summary.json and mask_NNN.pgm, best instance first.");
        var run = new RunOptions(command);
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder for summary.json and the mask images (replaced as a whole when complete).",
            Required = true,
        };
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(output)!.ToString();
            InferenceFolder.CheckTarget(dir);
            var net = run.Prepare(parsed, console, SparseInstOutputs.Check);
            var result = ReferenceModel.Run(net.Graph, net.Input, console.Stage("reference", net.Graph.Layers.Count));
            var instances = SparseInstOutputs.Decode(net.Graph, t => result[t]);
            InferenceFolder.Write(dir, net.Graph.Name, net.InputSource, instances);
            console.Out.WriteLine($"'{net.Graph.Name}' on {net.InputSource}: {SparseInstOutputs.Describe(instances)}; written to {dir}");
            return 0;
        });
        return command;
    }
}
