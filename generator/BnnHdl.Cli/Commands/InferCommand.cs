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
    /// <summary>The outputs infer decodes, as the zoo's SparseInst decoder names them.</summary>
    public const string Logits = "decoder.inst_branch.cls_score", Objectness = "decoder.inst_branch.objectness", Masks = "decoder.masks";

    public static Command Create(CliConsole console)
    {
        var command = new Command("infer",
            "Run an instance-segmentation network (SparseInst heads) on an image and decode its outputs on the host:\n" +
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
            var image = parsed.GetValue(run.Image) ?? throw new BnnHdlException("infer needs --image FILE (PPM or PGM at the network's input size)");
            InferenceFolder.CheckTarget(dir);
            var net = run.Prepare(parsed, console, g =>
            {
                var missing = new[] { Logits, Objectness, Masks }.Where(o => !g.Outputs.Contains(o)).ToList();
                if (missing.Count > 0)
                    throw new BnnHdlException($"'{g.Name}' has no SparseInst heads to decode (missing outputs {string.Join(", ", missing.Select(m => $"'{m}'"))}); infer takes the *-sparseinst models");
            });
            var result = ReferenceModel.Run(net.Graph, net.Input, console.Stage("reference", net.Graph.Layers.Count));
            var input = net.Graph.Input.Output.Shape;
            var instances = InstanceDecoding.Decode(result[Logits], result[Objectness], result[Masks], input.H, input.W);
            InferenceFolder.Write(dir, net.Graph.Name, image.ToString(), instances);
            console.Out.WriteLine($"{instances.Count} instance(s) of '{net.Graph.Name}' on {image} written to {dir}"
                + (instances.Count == 0 ? "" : $"; best: instance {instances[0].Index}, class {instances[0].Class}, score {instances[0].Score:0.###}, {instances[0].Pixels} pixels"));
            return 0;
        });
        return command;
    }
}
