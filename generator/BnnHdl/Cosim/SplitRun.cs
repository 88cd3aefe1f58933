using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Cosim;

/// <summary>
/// Where a split run was cut: before layer <see cref="LayerId"/> (<see cref="Layer"/>), and
/// how the feature memory the part before it ended with compares, word for word, with the
/// one the part after it started from (<see cref="DifferingWords"/> 0: equal).
/// </summary>
public sealed record CosimSeam(int LayerId, string Layer, int Words, int DifferingWords, int FirstDifference = -1, string? Expected = null, string? Got = null)
{
    public bool Matches => DifferingWords == 0;
}

/// <summary>
/// A co-simulation split at layer boundaries into parts that run side by side, one simulator
/// process per core (<see cref="CosimOptions.Jobs"/>): on a 2-core machine a long network runs
/// in about half the time (a Verilator model of the 64 x 64 engine runs no faster with
/// threads, but two processes run at full speed each).
///
/// The cuts fall where the predicted cycles reach 1/n, 2/n, ... of the run. Part j &gt; 0
/// starts at the first program word of its first layer (program words carry absolute tile,
/// weight and feature-memory addresses, so a suffix of the program is a program) from the
/// whole feature memory the engine simulator leaves before that layer. Part j &lt; n - 1 stops
/// at its last layer's layer_done and writes its whole feature memory, which must equal the
/// next part's start image word for word: that is the seam check. The engine carries nothing
/// else from one layer to the next (each layer reloads its program word and tile pointer,
/// every accumulator restarts at a layer's first beat), so with every seam equal the parts
/// are exactly the one continuous run, every layer of it checked as before.
/// </summary>
public static class SplitRun
{
    private const string FeatureImage = "fm.memh", ProgramImage = "pm.memh", LayerList = "layers.txt", EndImage = "fm_end.memh";

    public sealed record Result(CosimResult Run, EquatableArray<CosimSeam> Seams);

    public static Result Run(LoweredProgram program, TensorData input, SimulatorKind kind, string rtlDir, CosimOptions options)
    {
        if (options.TracePath != null) throw new BnnHdlException("a waveform needs a run in one part");
        rtlDir = Path.GetFullPath(rtlDir);
        var predicted = CycleModel.Predict(program).Layers;
        var cuts = Cuts(predicted, program.Name, options.Parts);
        // The engine simulator finds the parts' start images while the simulator is built.
        var startsTask = Task.Run(() => EngineSimulator.StartsOf(program, input, cuts));
        var simulator = RtlSimulator.Build(rtlDir, kind, options);
        var starts = startsTask.GetAwaiter().GetResult();
        string root = options.OutDir != null ? Path.GetFullPath(options.OutDir)
            : Path.Combine(Path.GetTempPath(), $"bnn-hdl-cosim-{Guid.NewGuid():N}");
        try
        {
            var parts = Enumerable.Range(0, cuts.Count + 1).Select(j =>
            {
                string dir = Path.Combine(root, $"part{j}");
                bool last = j == cuts.Count;
                return new RunPart(j == 0 ? rtlDir : Path.Combine(dir, "images"), Path.Combine(dir, "out"),
                    StopAfter: last ? null : LayerBefore(program, starts[j]),
                    FmOut: last ? null : Path.Combine(dir, EndImage));
            }).ToList();
            var results = RunAll(parts.Count, Math.Max(1, options.Jobs), j =>
            {
                int first = j == 0 ? 0 : cuts[j - 1], last = j == cuts.Count ? program.Layers.Count - 1 : cuts[j] - 1;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                if (j > 0) WriteImages(rtlDir, parts[j].WorkDir, starts[j - 1]);
                // A part that hangs fails at twice its own predicted cycles, not the whole run's.
                long partLimit = 2 * (predicted.Skip(first).Take(last - first + 1).Sum() + CycleModel.RunOverhead) + 1000;
                CosimResult result;
                try
                {
                    result = RtlSimulator.Execute(simulator, parts[j], options with { MaxCycles = Math.Min(options.MaxCycles, partLimit) });
                }
                catch (BnnHdlException e)
                {
                    throw new BnnHdlException($"part {j + 1} of {parts.Count} (layers {first}-{last}, from '{program.Layers[first].Source.Name}'): {e.Message}");
                }
                options.PartDone?.Invoke(new PartDone(j, parts.Count, first, last, clock.Elapsed));
                return result;
            });
            var seams = starts.Select((start, j) => Seam(program, start, parts[j].FmOut!)).ToEquatableArray();
            // Every part pays the start overhead once; the continuous run pays it once in all.
            long runCycles = results.Sum(r => r.RunCycles) - (long)cuts.Count * CycleModel.RunOverhead;
            var layers = results.SelectMany(r => r.Layers).ToEquatableArray();
            return new Result(new CosimResult(kind, layers, runCycles, simulator.Built), seams);
        }
        finally
        {
            if (options.OutDir == null) RtlSimulator.TryDelete(root);
        }
    }

    /// <summary>
    /// Runs parts 0 .. n - 1 on <paramref name="jobs"/> workers, each taking the next part in
    /// order when it is free (parts of equal cycles can differ twofold in simulation time, so
    /// more parts than workers even the load). Every part runs; then the first failure is thrown.
    /// </summary>
    private static IReadOnlyList<CosimResult> RunAll(int n, int jobs, Func<int, CosimResult> run)
    {
        var results = new CosimResult?[n];
        var failures = new Exception?[n];
        int next = -1;
        var workers = Enumerable.Range(0, Math.Min(jobs, n)).Select(_ => Task.Run(() =>
        {
            for (int j; (j = Interlocked.Increment(ref next)) < n;)
            {
                try
                {
                    results[j] = run(j);
                }
                catch (Exception e)
                {
                    failures[j] = e;
                }
            }
        })).ToArray();
        Task.WaitAll(workers);
        if (failures.FirstOrDefault(f => f != null) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return results.Select(r => r!).ToList();
    }

    /// <summary>The first layer of parts 1 .. n - 1: where the predicted cycles before a layer first reach j / n of the layers' cycles.</summary>
    public static IReadOnlyList<int> Cuts(LoweredProgram program, int parts) => Cuts(CycleModel.Predict(program).Layers, program.Name, parts);

    private static IReadOnlyList<int> Cuts(IReadOnlyList<long> cycles, string network, int parts)
    {
        if (parts < 1) throw new BnnHdlException($"a run is split into at least 1 part, not {parts}");
        if (parts > cycles.Count)
            throw new BnnHdlException($"network '{network}' has {cycles.Count} engine layer(s): it cannot run in {parts} parts");
        var before = new long[cycles.Count + 1]; // before[k]: the cycles of layers 0 .. k - 1
        for (int k = 0; k < cycles.Count; k++) before[k + 1] = before[k] + cycles[k];
        var cuts = new List<int>();
        for (int j = 1, k = 1; j < parts; j++, k++)
        {
            // Part j starts at the first layer after the previous cut whose predecessors hold
            // j / n of the cycles, early enough that every later part keeps a layer.
            while (k < cycles.Count - (parts - j) && before[k] * parts < j * before[^1]) k++;
            cuts.Add(k);
        }
        return cuts;
    }

    /// <summary>The id of the layer whose last program word comes just before <paramref name="start"/>.</summary>
    private static int LayerBefore(LoweredProgram program, LayerStart start) =>
        LayerDescriptor.FromFields(program.Layout.Program.Unpack(program.Images.Program.Word(start.ProgramWord - 1))).LayerId;

    /// <summary>A part's images: the RTL folder's, but its start feature memory and the program from its first word (zero words after).</summary>
    private static void WriteImages(string rtlDir, string work, LayerStart start)
    {
        Directory.CreateDirectory(work);
        foreach (string image in Directory.GetFiles(rtlDir, "*.memh").Append(Path.Combine(rtlDir, LayerList)))
            File.Copy(image, Path.Combine(work, Path.GetFileName(image)), overwrite: true);
        File.WriteAllText(Path.Combine(work, FeatureImage), start.FeatureMemory.ToMemh());
        var program = File.ReadAllLines(Path.Combine(rtlDir, ProgramImage));
        string zero = new('0', program[0].Length);
        File.WriteAllLines(Path.Combine(work, ProgramImage), program.Skip(start.ProgramWord).Concat(Enumerable.Repeat(zero, start.ProgramWord)));
    }

    private static CosimSeam Seam(LoweredProgram program, LayerStart start, string endImage)
    {
        string name = program.Layers[start.LayerId].Source.Name;
        var image = start.FeatureMemory;
        if (!File.Exists(endImage)) throw new BnnHdlException($"the run part before layer {start.LayerId} ('{name}') wrote no {Path.GetFileName(endImage)}");
        var words = File.ReadAllLines(endImage).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal)).ToArray();
        if (words.Length != image.Depth)
            throw new BnnHdlException($"the run part before layer {start.LayerId} ('{name}') wrote {words.Length} feature-memory words, the memory has {image.Depth}");
        int differing = 0, first = -1;
        for (int a = 0; a < words.Length; a++)
        {
            if (string.Equals(words[a], image.Hex(a), StringComparison.OrdinalIgnoreCase)) continue;
            if (differing++ == 0) first = a;
        }
        return differing == 0
            ? new CosimSeam(start.LayerId, name, image.Depth, 0)
            : new CosimSeam(start.LayerId, name, image.Depth, differing, first, image.Hex(first), words[first]);
    }
}
