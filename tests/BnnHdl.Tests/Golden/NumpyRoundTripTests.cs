using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Golden;

/// <summary>
/// Reads an exported set with NumPy (the Debian python3-numpy that `make deps` installs) and
/// compares what NumPy sees with the run and the parameters, value by value via checksums.
/// A missing python3 or NumPy fails the test: the format promise is "readable with NumPy".
/// </summary>
public class NumpyRoundTripTests
{
    private const string Python = "/usr/bin/python3";

    // Prints one line per tensor and parameter: name, dtype, shape, weighted checksum
    // sum((i+1)*v) over the C-order values (Python integers, no overflow). Asserts the file's
    // sha256, the dtype per manifest type, the value range, the .memh contents, and for
    // convolutions that weight padding (uneven groups) is zero and every real weight valid.
    private const string Script = """
        import hashlib, json, os, sys
        try:
            import numpy as np
        except ImportError:
            sys.stderr.write("NumPy is not installed for /usr/bin/python3 (Debian package python3-numpy; run make deps)\n")
            sys.exit(3)
        root = sys.argv[1]
        m = json.load(open(os.path.join(root, "manifest.json")))
        assert m["format"] == "bnn-hdl-golden/1", m["format"]
        def checksum(a):
            return sum((i + 1) * int(v) for i, v in enumerate(a.ravel(order="C").tolist()))
        def dims(a):
            return "x".join(str(d) for d in a.shape)
        def dtype_for(t):
            if t == "B": return np.int8
            if t[0] == "U": return np.uint8
            return np.int32 if int(t[1:]) <= 32 else np.int64
        def value_range(t):
            if t == "B": return (-1, 1)
            if t[0] == "U": return (0, (1 << int(t[1:])) - 1)
            w = int(t[1:]); return (-(1 << (w - 1)), (1 << (w - 1)) - 1)
        def from_memh(t, word):
            v = int(word, 16)
            if t == "B": return 1 if v == 1 else -1
            if t[0] == "U": return v
            w = int(t[1:]); return v - (1 << w) if v >= (1 << (w - 1)) else v
        for t in m["tensors"]:
            path = os.path.join(root, t["npy"])
            raw = open(path, "rb").read()
            assert hashlib.sha256(raw).hexdigest() == t["sha256"], t["name"] + ": sha256"
            a = np.load(path)
            assert a.dtype == dtype_for(t["type"]), (t["name"], a.dtype, t["type"])
            assert list(a.shape) == t["shape"], (t["name"], a.shape, t["shape"])
            lo, hi = value_range(t["type"])
            assert a.min() >= lo and a.max() <= hi, t["name"] + ": range"
            if t["type"] == "B": assert set(np.unique(a).tolist()) <= {-1, 1}, t["name"] + ": bipolar values"
            lines = open(os.path.join(root, t["memh"])).read().split("\n")
            assert lines[0] == "// %s %s %s" % (t["name"], "x".join(map(str, t["shape"])), t["type"]), lines[0]
            assert lines[-1] == ""
            digits = (int(t["type"][1:]) + 3) // 4 if t["type"] != "B" else 1
            assert all(len(w) == digits for w in lines[1:-1]), t["name"] + ": memh digits"
            assert [from_memh(t["type"], w) for w in lines[1:-1]] == a.ravel().tolist(), t["name"] + ": memh values"
            print("tensor", t["name"], a.dtype, dims(a), checksum(a))
        expected_dtype = {"weights": np.int8, "bias": np.int32, "thresholds": np.int32, "direction": np.int8}
        for l in m["layers"]:
            for kind, rel in l["params"].items():
                a = np.load(os.path.join(root, rel))
                assert a.dtype == expected_dtype[kind], (l["name"], kind, a.dtype)
                if kind == "weights" and l["op"] == "Conv2d":
                    real = []
                    for ic0, ic1, oc0, oc1 in l["attrs"]["groups"]:
                        for o in range(oc0, oc1):
                            assert not a[o, ic1 - ic0:].any(), (l["name"], o, "padding")
                            real.extend(a[o, :ic1 - ic0].ravel().tolist())
                    allowed = {-1, 1} if l["attrs"]["weight_type"] == "B" else {0, 1}
                    assert set(real) <= allowed, (l["name"], set(real))
                    assert l["attrs"]["weights_padded"] == (a.size != len(real))
                    print("param", l["name"] + "." + kind, a.dtype, dims(a), checksum(np.array(real, dtype=np.int64)))
                else:
                    print("param", l["name"] + "." + kind, a.dtype, dims(a), checksum(a))
        print("ok")
        """;

    [Fact]
    public void NumPyReadsEveryTensorAndParameterExactly()
    {
        string root = GoldenTestData.TempDir("numpy");
        try
        {
            var g = GoldenTestData.WithParameters(GoldenTestData.AllOps(), 11);
            var run = GoldenTestData.SyntheticRun(g, 11);
            string dir = Path.Combine(root, "set");
            GoldenExporter.Export(g, run, dir, 11);
            Assert.Equal(Expected(g, run), RunPython(root, dir));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void NumPyReadsARealRunOfEveryOp()
    {
        string root = GoldenTestData.TempDir("numpy-real");
        try
        {
            var g = GoldenTestData.AllOps();
            var input = InputImages.Random(g.Input.Output, 5);
            var filled = RandomParameters.Fill(g, input, 5);
            var run = ReferenceModel.Run(filled, input);
            string dir = Path.Combine(root, "set");
            GoldenExporter.Export(filled, run, dir, 5);
            Assert.Equal(Expected(filled, run), RunPython(root, dir));
        }
        finally { Directory.Delete(root, true); }
    }

    /// <summary>The lines the script must print, computed from the graph and the run directly.</summary>
    internal static List<string> Expected(Graph g, ReferenceRun run)
    {
        var lines = new List<string>();
        foreach (var layer in g.Layers)
        {
            var t = run[layer.Name];
            string dtype = t.Type.IsUnsigned ? "uint8" : t.Type.IsBipolar ? "int8" : t.Type.Bits > 32 ? "int64" : "int32";
            lines.Add($"tensor {layer.Name} {dtype} {t.Shape.C}x{t.Shape.H}x{t.Shape.W} {Checksum(t.Values.Select(v => v))}");
        }
        foreach (var layer in g.Layers.Skip(1))
        {
            var p = layer.Params;
            var input = g.Tensor(layer.Inputs[0]).Shape;
            switch (layer.Op)
            {
                case Conv2dOp c:
                    int maxIn = c.Groups.Resolve(input.C, c.OutChannels).Max(r => r.InCount);
                    lines.Add($"param {layer.Name}.weights int8 {c.OutChannels}x{maxIn}x{c.Kernel.Y}x{c.Kernel.X} {Checksum(p.Weights.Select(w => (long)w))}");
                    if (c.HasBias) lines.Add($"param {layer.Name}.bias int32 {c.OutChannels} {Checksum(p.Bias.Select(b => (long)b))}");
                    break;
                case LinearOp l:
                    lines.Add($"param {layer.Name}.weights int8 {l.OutFeatures}x{input.C}x1x1 {Checksum(p.Weights.Select(w => (long)w))}");
                    if (l.HasBias) lines.Add($"param {layer.Name}.bias int32 {l.OutFeatures} {Checksum(p.Bias.Select(b => (long)b))}");
                    break;
                case MultiThresholdOp mt:
                    lines.Add($"param {layer.Name}.thresholds int32 {input.C}x{mt.LevelsMinusOne} {Checksum(p.Thresholds.Select(x => (long)x))}");
                    lines.Add($"param {layer.Name}.direction int8 {input.C} {Checksum(p.Direction.Select(d => (long)d))}");
                    break;
            }
        }
        lines.Add("ok");
        return lines;
    }

    private static string Checksum(IEnumerable<long> values)
    {
        BigInteger sum = 0;
        long i = 1;
        foreach (long v in values) sum += new BigInteger(v) * i++;
        return sum.ToString(CultureInfo.InvariantCulture);
    }

    internal static List<string> RunPython(string workDir, string setDir)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: the golden-format test needs Python 3 with NumPy (Debian python3-numpy; run make deps)");
        string script = Path.Combine(workDir, "check_golden.py");
        File.WriteAllText(script, Script);
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(setDir);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail($"NumPy check of the golden set failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
