using System.CommandLine;
using System.Globalization;
using BnnHdl.Cosim;
using BnnHdl.Decode;
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
        var decode = new Option<DirectoryInfo?>("--decode")
        {
            Description = "Also decode the RTL's outputs into instances (summary.json and mask images, as 'bnn-hdl infer' writes them) in this folder (*-sparseinst models).",
            HelpName = "DIR",
        };
        var parts = new Option<int>("--parts")
        {
            Description = "Split the run at layer boundaries into N parts of about equal predicted cycles, simulated --jobs at a "
                + "time (one process per core: a long run on 2 cores takes about half the time; more parts than cores even "
                + "out parts that simulate at different speeds). Each part after the first starts from the feature memory the "
                + "engine simulator gives before its first layer, and each part before the last must end with that memory word "
                + "for word (the verdict's 'cut before' lines), so the parts are the continuous run.",
            DefaultValueFactory = _ => 1,
            HelpName = "N",
        };
        var jobs = new Option<int>("--jobs")
        {
            Description = $"Simulator processes at once for --parts (default: the processors, {Environment.ProcessorCount} here).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "J",
        };
        command.Options.Add(simulator);
        command.Options.Add(parts);
        command.Options.Add(jobs);
        command.Options.Add(decode);
        command.Options.Add(rtl);
        command.Options.Add(trace);
        command.SetAction(parsed =>
        {
            var config = engine.Config(parsed);
            var kind = parsed.GetValue(simulator) == "icarus" ? SimulatorKind.Icarus : SimulatorKind.Verilator;
            string? rtlOption = parsed.GetValue(rtl)?.ToString();
            if (rtlOption != null) RtlFolder.Check(rtlOption); // fail on a bad --rtl or --decode before the long work
            string? decodeDir = parsed.GetValue(decode)?.ToString();
            if (decodeDir != null) InferenceFolder.CheckTarget(decodeDir);
            int partCount = parsed.GetValue(parts);
            if (partCount < 1) throw new BnnHdlException($"--parts must be at least 1, not {partCount}");
            int jobCount = parsed.GetValue(jobs);
            if (jobCount < 1) throw new BnnHdlException($"--jobs must be at least 1, not {jobCount}");
            if (partCount > 1 && parsed.GetValue(trace) != null) throw new BnnHdlException("--trace writes the waveform of one run: it needs --parts 1");
            var net = run.Prepare(parsed, console, g =>
            {
                if (decodeDir != null) SparseInstOutputs.Check(g);
                Legalize.Check(g, config);
            });
            string dir = rtlOption ?? Path.Combine("rtl-out", net.Graph.Name);
            var program = LoweringPipeline.Lower(net.Graph, config);
            if (partCount > 1) SplitRun.Cuts(program, partCount); // a network too short for the parts fails now
            console.Error.WriteLine($"cosim: {kind.ToString().ToLowerInvariant()} on {dir} (P x S = {config}{(partCount > 1 ? $", in {partCount} parts, {Math.Min(jobCount, partCount)} at a time" : "")})");
            string? tracePath = parsed.GetValue(trace)?.ToString();
            // A run that takes twice the predicted cycles has hung: stop it there. The wall-clock
            // limits are backstops sized for big networks on slow machines (a 64 x 64 engine builds
            // in minutes and runs some 10 K cycles per second in Verilator).
            long predicted = CycleModel.Predict(program).Total;
            long limit = 2 * predicted + 1000;
            var runTimeout = TimeSpan.FromMinutes(Math.Max(10, predicted / 250_000.0));
            // Progress per layer the RTL completes (a layer of several program words reports once).
            var progress = console.Stage(kind.ToString().ToLowerInvariant(), program.Layers.Count);
            bool simulatorReady = false;
            var options = new CosimOptions
            {
                TracePath = tracePath, MaxCycles = limit, RunTimeout = runTimeout, BuildTimeout = TimeSpan.FromMinutes(30),
                // A long run pays for the slower optimized build.
                OptimizeForSpeed = predicted > 1_000_000, Parts = partCount, Jobs = jobCount,
                PartDone = part =>
                {
                    lock (console)
                    {
                        console.EndProgress();
                        console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"cosim: part {part.Part + 1} of {part.Parts} (layers {part.FirstLayer}-{part.LastLayer}, {program.Layers[part.FirstLayer].Source.Name} to {program.Layers[part.LastLayer].Source.Name}) simulated in {part.Elapsed.TotalSeconds:F1} s"));
                    }
                },
                // The build of a big engine takes minutes: say when it ends, not after the run.
                SimulatorReady = ready =>
                {
                    lock (console)
                    {
                        simulatorReady = true;
                        console.EndProgress();
                        console.Error.WriteLine(ready.Built
                            ? string.Create(CultureInfo.InvariantCulture, $"cosim: built the simulator in {ready.Elapsed.TotalSeconds:F0} s (cached for the next run)")
                            : "cosim: simulator build reused from the cache");
                    }
                },
                LayerDone = id => progress.Report(id >= 0 && id < program.Layers.Count ? program.Layers[id].Source.Name : $"layer {id}"),
            };
            // The reference model runs while the simulator is built (Verilator itself is one
            // thread, the reference another): the two do not wait for each other.
            var rtlRun = Task.Run(() => Cosimulation.Run(program, net.Input, kind, dir, options));
            var reference = ReferenceModel.Run(net.Graph, net.Input, console.Stage("reference", net.Graph.Layers.Count));
            lock (console)
            {
                if (!simulatorReady && !rtlRun.IsCompleted) console.Error.WriteLine("cosim: the reference model is done; waiting for the simulator build");
            }
            var report = rtlRun.GetAwaiter().GetResult();
            if (tracePath != null) console.Error.WriteLine($"cosim: waveform written to {tracePath}");
            var verdict = CosimVerdict.Of(report, reference, program);
            if (decodeDir != null)
            {
                // The RTL's own outputs (equal to the reference's when the run passes).
                var instances = SparseInstOutputs.Decode(net.Graph, t => report[t]);
                InferenceFolder.Write(decodeDir, net.Graph.Name, net.InputSource, instances);
                console.Error.WriteLine($"cosim: decoded the RTL's outputs: {SparseInstOutputs.Describe(instances)}; written to {decodeDir}");
            }
            console.Out.Write(verdict.Format());
            return verdict.Passed ? 0 : Disagrees;
        });
        return command;
    }
}
