using System.CommandLine;
using BnnHdl.Cosim;
using BnnHdl.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Reference;

namespace BnnHdl.Cli.Commands;

/// <summary>
/// `bnn-hdl cosim`: generates the RTL, runs it in Verilator or Icarus, and compares every
/// layer bit for bit with the reference model and every layer's cycles with the cycle model.
/// Exit code 0 only if everything matches; 3 if the RTL disagrees.
/// </summary>
public static class CosimCommand
{
    public const int Disagrees = 3;

    public static Command Create(CliConsole console)
    {
        var command = new Command("cosim",
            "Co-simulate: generate the RTL, run it in a simulator, and compare every layer with the reference model\n" +
            "(bit for bit) and every layer's cycle count with the schedule's prediction. Builds are cached, so a\n" +
            "second run does not rebuild unchanged RTL. Exit code 3 when the RTL disagrees.");
        var run = new RunOptions(command);
        var engine = new EngineOptions(command);
        var simulator = new Option<string>("--simulator")
        {
            Description = "verilator (fast, any size) or icarus (slow; small configurations).",
            DefaultValueFactory = _ => "verilator",
        };
        simulator.AcceptOnlyFromAmong("verilator", "icarus");
        var rtl = new Option<DirectoryInfo?>("--rtl")
        {
            Description = "Folder for the generated RTL and the run's dumps (default rtl-out/<model>).",
        };
        var trace = new Option<FileInfo?>("--trace")
        {
            Description = "Also write a VCD waveform of the run to this file (Verilator builds a traced simulator for it).",
            HelpName = "FILE.vcd",
        };
        command.Options.Add(simulator);
        command.Options.Add(rtl);
        command.Options.Add(trace);
        command.SetAction(parsed =>
        {
            var config = engine.Config(parsed);
            var kind = parsed.GetValue(simulator) == "icarus" ? SimulatorKind.Icarus : SimulatorKind.Verilator;
            string? rtlOption = parsed.GetValue(rtl)?.ToString();
            if (rtlOption != null) RtlFolder.Check(rtlOption); // fail on a bad --rtl before the long work
            var net = run.Prepare(parsed, console, g => Legalize.Check(g, config));
            string dir = rtlOption ?? Path.Combine("rtl-out", net.Graph.Name);
            var program = LoweringPipeline.Lower(net.Graph, config);
            var reference = ReferenceModel.Run(net.Graph, net.Input, console.Stage("reference", net.Graph.Layers.Count));
            console.Error.WriteLine($"cosim: {kind.ToString().ToLowerInvariant()} on {dir} (P x S = {config})");
            string? tracePath = parsed.GetValue(trace)?.ToString();
            // A run that takes twice the predicted cycles has hung: stop it there.
            long limit = 2 * CycleModel.Predict(program).Total + 1000;
            var report = Cosimulation.Run(program, net.Input, kind, dir, new CosimOptions { TracePath = tracePath, MaxCycles = limit });
            console.Error.WriteLine(report.Built ? "cosim: built the simulator" : "cosim: simulator build reused from the cache");
            if (tracePath != null) console.Error.WriteLine($"cosim: waveform written to {tracePath}");
            var verdict = CosimVerdict.Of(report, reference, program);
            console.Out.Write(verdict.Format());
            return verdict.Passed ? 0 : Disagrees;
        });
        return command;
    }
}
