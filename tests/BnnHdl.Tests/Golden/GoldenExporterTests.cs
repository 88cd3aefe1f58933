using System.Text;
using System.Text.Json;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Golden;

public class GoldenExporterTests
{
    private static string Export(long seed, string dir)
    {
        var g = GoldenTestData.WithParameters(GoldenTestData.AllOps(), seed);
        GoldenExporter.Export(g, GoldenTestData.SyntheticRun(g, seed), dir, seed);
        return dir;
    }

    [Fact]
    public void SameSeedGivesByteIdenticalSetsAndAnotherSeedDiffers()
    {
        string root = GoldenTestData.TempDir("determinism");
        try
        {
            var a = GoldenTestData.ReadTree(Export(7, Path.Combine(root, "a")));
            var b = GoldenTestData.ReadTree(Export(7, Path.Combine(root, "b")));
            var c = GoldenTestData.ReadTree(Export(8, Path.Combine(root, "c")));

            Assert.Equal(a.Keys, b.Keys);
            foreach (var (path, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[path]), $"{path} differs between two runs");
            Assert.Equal(a.Keys, c.Keys);
            Assert.False(a["params/conv1.weights.npy"].AsSpan().SequenceEqual(c["params/conv1.weights.npy"]));
            Assert.False(a["tensors/input.npy"].AsSpan().SequenceEqual(c["tensors/input.npy"]));
            Assert.False(a["manifest.json"].AsSpan().SequenceEqual(c["manifest.json"]));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void WritesEveryTensorAndParameterListedInTheManifest()
    {
        string root = GoldenTestData.TempDir("layout");
        try
        {
            var files = GoldenTestData.ReadTree(Export(3, Path.Combine(root, "set")));
            var g = GoldenTestData.AllOps();
            var expected = new List<string> { "manifest.json" };
            foreach (var l in g.Layers) expected.AddRange([$"tensors/{l.Name}.npy", $"tensors/{l.Name}.memh"]);
            expected.AddRange([
                "params/conv1.weights.npy", "params/conv1.bias.npy", "params/grouped.weights.npy", "params/dw.weights.npy",
                "params/fc.weights.npy", "params/fc.bias.npy",
            ]);
            foreach (var q in new[] { "q1", "q2", "q3", "q4", "q5" })
                expected.AddRange([$"params/{q}.thresholds.npy", $"params/{q}.direction.npy"]);
            Assert.Equal(expected.Order(StringComparer.Ordinal), files.Keys);

            using var doc = JsonDocument.Parse(files["manifest.json"]);
            var m = doc.RootElement;
            Assert.Equal(["format", "network", "seed", "input_shape", "outputs", "tensors", "layers"],
                m.EnumerateObject().Select(p => p.Name));
            Assert.Equal("bnn-hdl-golden/1", m.GetProperty("format").GetString());
            Assert.Equal("allops", m.GetProperty("network").GetString());
            Assert.Equal(3, m.GetProperty("seed").GetInt64());
            Assert.Equal([3, 6, 6], m.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(["fc", "add", "adaptive", "matmul"], m.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(g.Layers.Select(l => l.Name), m.GetProperty("tensors").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
            Assert.Equal(g.Layers.Skip(1).Select(l => l.Name), m.GetProperty("layers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ManifestDescribesLayersWithSnakeCaseAttributes()
    {
        string root = GoldenTestData.TempDir("manifest");
        try
        {
            var files = GoldenTestData.ReadTree(Export(3, Path.Combine(root, "set")));
            using var doc = JsonDocument.Parse(files["manifest.json"]);
            var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!);
            string Json(string layer, string key) => layers[layer].GetProperty(key).GetRawText().ReplaceLineEndings("").Replace(" ", "");

            Assert.Equal("""{"out_channels":5,"kernel":[1,1],"stride":[1,1],"pad":[0,0,0,0],"dilation":[1,1],"groups":[[0,1,0,2],[1,4,2,5]],"pad_value":0,"weight_type":"U1","bias":false,"weights_padded":true}""",
                Json("grouped", "attrs"));
            Assert.Equal("""{"weights":"params/grouped.weights.npy"}""", Json("grouped", "params"));
            Assert.Equal("""{"out_channels":5,"kernel":[3,3],"stride":[1,1],"pad":[1,0,1,2],"dilation":[1,1],"groups":[[0,1,0,1],[1,2,1,2],[2,3,2,3],[3,4,3,4],[4,5,4,5]],"pad_value":-1,"weight_type":"B","bias":false,"weights_padded":false}""",
                Json("dw", "attrs"));
            Assert.Equal("""{"out_features":3,"weight_type":"B","bias":true}""", Json("fc", "attrs"));
            Assert.Equal("""{"weights":"params/fc.weights.npy","bias":"params/fc.bias.npy"}""", Json("fc", "params"));
            Assert.Equal("""{"out_type":"B"}""", Json("q2", "attrs"));
            Assert.Equal("""{"thresholds":"params/q2.thresholds.npy","direction":"params/q2.direction.npy"}""", Json("q2", "params"));
            Assert.Equal("""{"kernel":[2,2],"stride":[2,2],"pad":[0,0,0,0]}""", Json("maxpool", "attrs"));
            Assert.Equal("\"MaxPool2d\"", Json("maxpool", "op"));
            Assert.Equal("\"SumPool2d\"", Json("sumpool", "op"));
            Assert.Equal("""{"group":2}""", Json("xcpool", "attrs"));
            Assert.Equal("""{"bits":2}""", Json("coord", "attrs"));
            Assert.Equal("""{"factor":[2,1]}""", Json("up", "attrs"));
            Assert.Equal("""{"shifts":[2,0]}""", Json("add", "attrs"));
            Assert.Equal("""["gate","sumpool"]""", Json("add", "inputs"));
            Assert.Equal("\"add\"", Json("add", "output"));
            Assert.Equal("""{"bins":[2,1]}""", Json("adaptive", "attrs"));
            Assert.Equal("""{"transpose_a":false,"transpose_b":true,"out_hw":[1,7]}""", Json("matmul", "attrs"));
            Assert.Equal("{}", Json("gate", "attrs"));
            Assert.Equal("{}", Json("cat", "attrs"));
            Assert.Equal("{}", Json("gsum", "params"));

            var tensors = doc.RootElement.GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
            Assert.Equal("""{"name":"matmul","shape":[7,1,7],"type":"I3","npy":"tensors/matmul.npy","memh":"tensors/matmul.memh","sha256":""" +
                         "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(files["tensors/matmul.npy"])) + "\"}",
                tensors["matmul"].GetRawText().ReplaceLineEndings("").Replace(" ", ""));
            Assert.Equal("I3", tensors["matmul"].GetProperty("type").GetString());
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ManifestIsIndentedWithUnixLineEndsAndNullSeed()
    {
        string root = GoldenTestData.TempDir("null-seed");
        try
        {
            var g = GoldenTestData.WithParameters(GoldenTestData.AllOps(), 1);
            GoldenExporter.Export(g, GoldenTestData.SyntheticRun(g, 1), Path.Combine(root, "set"), null);
            string text = File.ReadAllText(Path.Combine(root, "set", "manifest.json"));
            Assert.StartsWith("""
                {
                  "format": "bnn-hdl-golden/1",
                  "network": "allops",
                  "seed": null,
                  "input_shape": [3, 6, 6],
                  "outputs": ["fc", "add", "adaptive", "matmul"],
                  "tensors": [
                    {
                      "name": "input",
                      "shape": [3, 6, 6],
                      "type": "U8",
                      "npy": "tensors/input.npy",
                      "memh": "tensors/input.memh",
                      "sha256": "
                """.ReplaceLineEndings("\n"), text);
            Assert.DoesNotContain("\r", text);
            Assert.EndsWith("}\n", text);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ReExportReplacesTheExistingSet()
    {
        string root = GoldenTestData.TempDir("replace");
        try
        {
            string dir = Path.Combine(root, "set");
            Export(1, dir);
            File.WriteAllText(Path.Combine(dir, "tensors", "stale.npy"), "left over");
            Export(2, dir);
            var files = GoldenTestData.ReadTree(dir);
            Assert.DoesNotContain("tensors/stale.npy", files.Keys);
            Assert.Contains("\"seed\": 2,", Encoding.UTF8.GetString(files["manifest.json"]));
            Assert.Equal(["set"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ExportBelowAFileFailsWithOneLineAndLeavesNothingBehind()
    {
        string root = GoldenTestData.TempDir("parent-file");
        try
        {
            string file = Path.Combine(root, "plain.txt");
            File.WriteAllText(file, "not a folder");
            var e = Assert.Throws<BnnHdlException>(() => Export(1, Path.Combine(file, "set")));
            Assert.Equal($"cannot write the golden set to '{file}/set': '{file}' is a file, not a folder", e.Message);
            Assert.Equal(["plain.txt"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void FailureWhileWritingRemovesThePartialFolderAndKeepsTheOldSet()
    {
        string root = GoldenTestData.TempDir("partial");
        try
        {
            string dir = Path.Combine(root, "set");
            Export(1, dir);
            var before = GoldenTestData.ReadTree(dir);
            var g = GoldenTestData.WithParameters(GoldenTestData.AllOps(), 2);
            var run = GoldenTestData.SyntheticRun(g, 2);
            // An incomplete run is refused before anything is written ...
            var missing = new Dictionary<string, TensorData>(run.Tensors);
            missing.Remove("fc");
            var e = Assert.Throws<ValidationException>(() => GoldenExporter.Export(g, run with { Tensors = missing }, dir, 2));
            Assert.Equal("golden set of 'allops': the run has no tensor for layer 'fc'", e.Message);

            // ... and a writer that fails halfway (after several files) must leave no temporary folder.
            Assert.Throws<InvalidOperationException>(() =>
                AtomicDirectory.Write(dir, temp =>
                {
                    File.WriteAllText(Path.Combine(temp, "manifest.json"), "{}");
                    throw new InvalidOperationException("disk full (simulated)");
                }));
            Assert.Equal(["set"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
            var after = GoldenTestData.ReadTree(dir);
            Assert.Equal(before.Keys, after.Keys);
            foreach (var (path, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[path]), path);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void RefusesToReplaceAFolderThatIsNotAGoldenSet()
    {
        string root = GoldenTestData.TempDir("foreign");
        try
        {
            string dir = Path.Combine(root, "mine");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "precious");
            var e = Assert.Throws<BnnHdlException>(() => Export(1, dir));
            Assert.Equal($"cannot write the golden set to '{dir}': the folder exists and is not a golden set (no bnn-hdl-golden manifest.json); refusing to replace it", e.Message);
            Assert.Equal("precious", File.ReadAllText(Path.Combine(dir, "notes.txt")));
            Assert.Equal(["mine"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));

            string empty = Path.Combine(root, "empty");
            Directory.CreateDirectory(empty);
            Export(1, empty);
            Assert.True(File.Exists(Path.Combine(empty, "manifest.json")));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void CheckTargetFailsEarlyAndChangesNothing()
    {
        string root = GoldenTestData.TempDir("check");
        try
        {
            string file = Path.Combine(root, "plain.txt");
            File.WriteAllText(file, "x");
            Assert.Equal($"cannot write the golden set to '{file}/a/b': '{file}' is a file, not a folder",
                Assert.Throws<BnnHdlException>(() => GoldenExporter.CheckTarget(Path.Combine(file, "a", "b"))).Message);
            Assert.Equal($"cannot write the golden set to '{file}': it is a file, not a folder",
                Assert.Throws<BnnHdlException>(() => GoldenExporter.CheckTarget(file)).Message);
            GoldenExporter.CheckTarget(Path.Combine(root, "new", "deeper", "set"));
            Assert.Equal(["plain.txt"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));

            Export(1, Path.Combine(root, "new", "deeper", "set"));   // missing parents are created when writing
            GoldenExporter.CheckTarget(Path.Combine(root, "new", "deeper", "set") + "/");
            Assert.True(File.Exists(Path.Combine(root, "new", "deeper", "set", "manifest.json")));
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void RefusesAGraphWithMissingParameters()
    {
        var g = GoldenTestData.AllOps();
        var e = Assert.Throws<ValidationException>(() => GoldenExporter.Export(g, GoldenTestData.SyntheticRun(g, 1), "unused", 1));
        Assert.Equal(9, e.Problems.Count);
        Assert.Equal("layer 'conv1' (Conv2d) has no parameters yet; fill them before exporting", e.Problems[0]);
        Assert.False(Directory.Exists("unused"));
    }
}
