using System.CommandLine;
using BnnHdl.Zoo;

namespace BnnHdl.Cli.Commands;

/// <summary>`bnn-hdl models`: the zoo, one line per model.</summary>
public static class ModelsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("models", "List the models of the zoo, one line each.");
        command.SetAction(_ =>
        {
            int width = ModelZoo.Models.Max(m => m.Name.Length);
            foreach (var m in ModelZoo.Models) console.Out.WriteLine($"{m.Name.PadRight(width)}  {m.Description}");
            return 0;
        });
        return command;
    }
}
