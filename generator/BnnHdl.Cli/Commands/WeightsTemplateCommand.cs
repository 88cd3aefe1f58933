using System.CommandLine;
using BnnHdl.Quant;

namespace BnnHdl.Cli.Commands;

/// <summary>
/// `bnn-hdl weights-template`: the .npz a float import expects (every name and shape, with
/// neutral values), to be filled from a trained float network and passed as --weights.
/// </summary>
public static class WeightsTemplateCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("weights-template",
            "Write the .npz that --weights expects for a network: per Conv2d / Linear layer L 'L.weight' and 'L.bias',\n" +
            "per MultiThreshold T its batch norm ('T.weight', 'T.bias', 'T.running_mean', 'T.running_var') and quantizer\n" +
            "level boundaries 'T.levels', float32, with neutral values (zero weights, identity batch norms, levels j - 1/2).");
        var network = CommonOptions.AddNetworkOptions(command);
        var output = new Option<FileInfo>("--out", "-o")
        {
            Description = "The .npz file to write (replaced when complete).",
            Required = true,
        };
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            var graph = network.Load(parsed);
            var file = parsed.GetValue(output)!;
            var arrays = FloatImport.Template(graph);
            // Written beside the target and moved over it, so a failure leaves no half-written file.
            string temp = file.FullName + ".partial";
            try
            {
                using (var stream = File.Create(temp)) Npz.Write(stream, arrays);
                File.Move(temp, file.FullName, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(temp)) File.Delete(temp);
                throw new BnnHdlException($"cannot write '{file}': {e.Message}");
            }
            long values = arrays.Sum(a => (long)a.Array.Values.Length);
            console.Out.WriteLine($"weights template of '{graph.Name}' ({arrays.Count} arrays, {values} values) written to {file}");
            return 0;
        });
        return command;
    }
}
