using System.CommandLine;
using BnnHdl.Lowering;
using BnnHdl.Reports;

namespace BnnHdl.Cli.Commands;

/// <summary>`bnn-hdl schedule`: the lowered program, readable (loop nests, tiles, memory, cycles).</summary>
public static class ScheduleCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("schedule",
            "Lower a network onto the engine and print the program readably: the datapath widths and memories,\n" +
            "the feature-memory regions, per layer the loop nest, tiling and predicted cycles, and the lane\n" +
            "utilization of every layer (binary MACs / (cycles x P x S)).");
        var run = new RunOptions(command);
        var engine = new EngineOptions(command);
        command.SetAction(parsed =>
        {
            var config = engine.Config(parsed);
            var net = run.Prepare(parsed, console, g => Legalize.Check(g, config));
            var program = LoweringPipeline.Lower(net.Graph, config);
            console.Out.Write(ScheduleText.Format(program));
            console.Out.Write('\n' + EngineUtilization.Of(program).Format());
            return 0;
        });
        return command;
    }
}
