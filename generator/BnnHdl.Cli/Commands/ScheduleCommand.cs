using System.CommandLine;
using BnnHdl.Lowering;

namespace BnnHdl.Cli.Commands;

/// <summary>`bnn-hdl schedule`: the lowered program, readable (loop nests, tiles, memory, cycles).</summary>
public static class ScheduleCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("schedule",
            "Lower a network onto the engine and print the program readably: the datapath widths and memories,\n" +
            "the feature-memory regions, and per layer the loop nest, tiling and predicted cycles.");
        var run = new RunOptions(command);
        var engine = new EngineOptions(command);
        command.SetAction(parsed =>
        {
            var config = engine.Config(parsed);
            var net = run.Prepare(parsed, console);
            console.Out.Write(ScheduleText.Format(LoweringPipeline.Lower(net.Graph, config)));
            return 0;
        });
        return command;
    }
}
