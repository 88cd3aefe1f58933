using System.Diagnostics;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using BnnHdl.Tests.Zoo;

namespace BnnHdl.Tests.Quant;

/// <summary>
/// Float import (SPEC 5, docs/weights.md): a template filled with random floats gives
/// thresholds that reproduce the float network's quantized outputs, the rounding at exact
/// ties, negative and zero gamma, and the errors a bad archive gets.
/// </summary>
public sealed class FloatImportTests
{
    private static Graph Mini => MscanSparseInstTests.Mini.Value.Graph;

    /// <summary>The template's names and shapes, with seeded random values of each kind of array.</summary>
    internal static Dictionary<string, NpzArray> RandomFloats(Graph g, int seed)
    {
        var r = new Random(seed);
        double Normal(double sd) => sd * Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        var arrays = new Dictionary<string, NpzArray>();
        foreach (var (name, a) in FloatImport.Template(g))
        {
            bool threshold = g.Layers.Any(l => l.Op is MultiThresholdOp && name.StartsWith(l.Name + ".", StringComparison.Ordinal) && name.Length - l.Name.Length <= ".running_mean".Length);
            string field = name[(name.LastIndexOf('.') + 1)..];
            double[] v = (threshold, field) switch
            {
                (true, "weight") => a.Values.Select(_ => (r.Next(2) == 0 ? -1 : 1) * (0.25 + r.NextDouble())).ToArray(),
                (true, "running_var") => a.Values.Select(_ => 0.25 + 4 * r.NextDouble()).ToArray(),
                (true, "running_mean") => a.Values.Select(_ => Normal(6)).ToArray(),
                (true, "levels") => Levels(a, () => Normal(2)),
                (true, _) => a.Values.Select(_ => Normal(1)).ToArray(),
                (false, "bias") => a.Values.Select(_ => Normal(3)).ToArray(),
                _ => a.Values.Select(_ => Normal(1)).ToArray(),
            };
            arrays[name] = a with { Values = v };
        }
        return arrays;
    }

    private static double[] Levels(NpzArray a, Func<double> draw)
    {
        int n = a.Shape[1];
        return Enumerable.Range(0, a.Shape[0]).SelectMany(_ => Enumerable.Range(0, n).Select(_ => draw()).Order()).ToArray();
    }

    /// <summary>The float offset a tensor carries: its conv's float bias (no integer bias), through Adds times 2^shift.</summary>
    private static double Offset(Graph g, IReadOnlyDictionary<string, NpzArray> f, string tensor, int c)
    {
        var layer = g[tensor];
        return layer.Op switch
        {
            Conv2dOp { HasBias: false } or LinearOp { HasBias: false } => f[tensor + ".bias"].Values[c],
            AddOp add => Offset(g, f, layer.Inputs[0], c) * (1 << add.ShiftA) + Offset(g, f, layer.Inputs[1], c) * (1 << add.ShiftB),
            _ => 0,
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Imported_thresholds_reproduce_the_float_networks_quantized_outputs(int seed)
    {
        var g = Mini;
        var floats = RandomFloats(g, seed);
        // Through the file format and back, as a user's archive would come.
        using var file = new MemoryStream();
        Npz.Write(file, floats.Select(kv => (kv.Key, kv.Value)));
        string path = Path.Combine(Path.GetTempPath(), $"bnn-hdl-import-{Environment.ProcessId}-{seed}.npz");
        File.WriteAllBytes(path, file.ToArray());
        var read = Npz.Read(path, "weights.npz");
        File.Delete(path);
        var imported = FloatImport.Import(g, read, "weights.npz");

        foreach (var layer in imported.Layers.Where(l => l.Op is Conv2dOp))
        {
            // Float32 signs: w >= 0 -> +1 (sign(0) = +1), else -1.
            var w = read[layer.Name + ".weight"].Values;
            Assert.Equal(w.Select(v => v >= 0 ? (sbyte)1 : (sbyte)-1), layer.Params.Weights);
        }
        for (int trial = 0; trial < 3; trial++)
        {
            var input = InputImages.Random(imported.Input.Output, 100 * seed + trial);
            var run = ReferenceModel.Run(imported, input);
            int checkedLevels = 0;
            foreach (var t in imported.Layers.Where(l => l.Op is MultiThresholdOp))
            {
                var x = run[t.Inputs[0]];
                var q = run[t.Name];
                int n = ((MultiThresholdOp)t.Op).LevelsMinusOne;
                var (gamma, beta, mean, variance, levels) = (read[t.Name + ".weight"].Values, read[t.Name + ".bias"].Values,
                    read[t.Name + ".running_mean"].Values, read[t.Name + ".running_var"].Values, read[t.Name + ".levels"].Values);
                for (int c = 0; c < x.Shape.C; c++)
                {
                    double m = mean[c] - Offset(imported, read, t.Inputs[0], c), sigma = Math.Sqrt(variance[c] + FloatImport.Eps);
                    for (int p = 0; p < x.Shape.Positions; p++)
                    {
                        // The float network: batch norm of the biased accumulator, then the quantizer.
                        double y = gamma[c] * (x.Values[c * x.Shape.Positions + p] - m) / sigma + beta[c];
                        int level = Enumerable.Range(0, n).Count(j => y >= levels[c * n + j]);
                        long want = t.Output.Type.IsBipolar ? (level == 1 ? 1 : -1) : level;
                        long got = q.Values[c * x.Shape.Positions + p];
                        if (got != want) Assert.Fail($"'{t.Name}' channel {c} position {p}: y = {y}, float level {want}, imported thresholds give {got}");
                        checkedLevels++;
                    }
                }
            }
            Assert.True(checkedLevels > 10_000, $"{checkedLevels} quantized values compared");
        }
    }

    [Fact]
    public void Folding_rounds_exact_ties_to_the_level_and_handles_negative_and_zero_gamma()
    {
        // sigma = 1 exactly: y = 2 (x - 1) + 0.5 >= 4.5 at x = 3 exactly: threshold 3.
        double v = 1 - FloatImport.Eps;
        while (v + FloatImport.Eps != 1.0) v = Math.BitIncrement(v);
        Check(1, new[] { 3 }, FloatImport.Fold(2, 0.5, 1, v, [4.5]));
        // gamma < 0: y = -2 (x - 1) + 0.5 >= 4.5 iff x <= -1 iff -x >= 1; ascending in j.
        Check(-1, new[] { -2, 1 }, FloatImport.Fold(-2, 0.5, 1, v, [-1.5, 4.5]));
        // gamma = 0: y = beta; levels beta reaches are always on, the others never.
        Check(1, new[] { int.MinValue, int.MinValue, int.MaxValue }, FloatImport.Fold(0, 1, 5, v, [-1, 1, 2]));
        // Beyond int32: clamped, the comparison still right for every accumulator.
        Check(1, new[] { int.MinValue, int.MaxValue }, FloatImport.Fold(1e-12, 0, 0, v, [-1, 1]));
    }

    private static void Check(int direction, int[] thresholds, (sbyte D, int[] T) fold)
    {
        Assert.Equal(direction, fold.D);
        Assert.Equal(thresholds, fold.T);
    }

    [Fact]
    public void A_bad_archive_gets_every_problem_in_one_line()
    {
        var b = new NetworkBuilder("bad");
        var x = b.Input(4, 3, 3, DataType.U(2));
        var c = b.Conv2d(x, 2, 1, name: "c");
        b.Output(b.MultiThreshold(c, DataType.U(2), name: "t"), b.Conv2d(x, 2, 1, name: "raw"));
        var g = b.Build();
        var arrays = FloatImport.Template(g).ToDictionary(a => a.Name, a => a.Array);
        arrays.Remove("c.weight");
        arrays["t.levels"] = new NpzArray([2, 2], new double[4]);
        arrays["raw.bias"] = new NpzArray([2], [0.5, 0]);
        arrays["t.running_var"] = new NpzArray([2], [1, double.NaN]);
        var e = Assert.Throws<BnnHdlException>(() => FloatImport.Import(g, arrays, "w.npz"));
        Assert.Equal("w.npz: 'c.weight' is missing (expected [2, 4, 1, 1]); 't.running_var' holds NaN at index 1; 't.levels' is [2, 2], expected [2, 3]; "
            + "output 'raw' carries a float bias no threshold absorbs: give it zero bias or an integer bias", e.Message);
    }

    [Fact]
    public void NumPy_reads_the_template_and_writes_an_archive_the_import_reads()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bnn-hdl-npz-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var template = FloatImport.Template(Mini);
            using (var f = File.Create(Path.Combine(dir, "t.npz"))) Npz.Write(f, template);
            // NumPy lists every name with its shape and writes them back as float64, doubled.
            var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", """
                import sys, numpy as np
                a = np.load(sys.argv[1] + "/t.npz")
                for k in a.files: print(k, "x".join(str(d) for d in a[k].shape), a[k].dtype)
                np.savez(sys.argv[1] + "/back.npz", **{k: (2 * a[k]).astype(np.float64) for k in a.files})
                """, dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, error);
            Assert.Equal(template.Select(t => $"{t.Name} {string.Join("x", t.Array.Shape)} float32"), output.TrimEnd('\n').Split('\n'));
            var back = Npz.Read(Path.Combine(dir, "back.npz"), "back.npz");
            Assert.Equal(template.Count, back.Count);
            foreach (var (name, a) in template) Assert.Equal(a.Values.Select(v => 2 * (double)(float)v), back[name].Values);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_template_is_byte_identical_twice()
    {
        byte[] Bytes()
        {
            using var s = new MemoryStream();
            Npz.Write(s, FloatImport.Template(Mini));
            return s.ToArray();
        }
        Assert.Equal(Bytes(), Bytes());
    }
}
