using System.Security.Cryptography;
using System.Text;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Golden;

/// <summary>
/// Exports a reference run as a golden set (SPEC.md section 6): tensors/NAME.npy and .memh
/// for the input and every layer's output, params/LAYER.KIND.npy for every parameter, and
/// manifest.json. File names are layer names (restricted to [A-Za-z0-9_.-] by the network
/// checks). Same network, run and seed give byte-identical files. The folder is written
/// atomically (<see cref="AtomicDirectory"/>).
/// </summary>
public static class GoldenExporter
{
    public static void Export(Graph g, ReferenceRun run, string outDir, long? seed)
    {
        CheckComplete(g, run);
        AtomicDirectory.Write(outDir, dir => WriteSet(g, run, seed, dir));
    }

    /// <summary>
    /// Checks that <paramref name="outDir"/> can receive a golden set (not a file, not a folder
    /// holding something else, parent path creatable), so a command can fail before the run.
    /// </summary>
    public static void CheckTarget(string outDir) => AtomicDirectory.Check(outDir);

    private static void WriteSet(Graph g, ReferenceRun run, long? seed, string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "tensors"));
        Directory.CreateDirectory(Path.Combine(dir, "params"));
        var tensors = new List<GoldenTensor>();
        var layers = new List<GoldenLayer>();
        foreach (var layer in g.Layers)
        {
            tensors.Add(WriteTensor(dir, layer.Name, run[layer.Name]));
            if (layer.Op is InputOp) continue;
            var input = g.Tensor(layer.Inputs[0]);
            var kinds = new List<string>();
            foreach (var p in ParameterArrays.Of(layer, input))
            {
                var bytes = NpyWriter.Encode(p.Type, p.Shape, p.Values.AsSpan());
                File.WriteAllBytes(Path.Combine(dir, GoldenManifest.ParamPath(layer.Name, p.Kind)), bytes);
                kinds.Add(p.Kind);
            }
            layers.Add(new GoldenLayer(layer, input, kinds.ToEquatableArray()));
        }
        // The manifest goes last: a folder with a manifest is a complete set.
        File.WriteAllBytes(Path.Combine(dir, "manifest.json"), GoldenManifest.Encode(g, seed, tensors, layers));
    }

    private static GoldenTensor WriteTensor(string dir, string name, TensorData t)
    {
        var shape = new[] { t.Shape.C, t.Shape.H, t.Shape.W };
        var npy = NpyWriter.Encode(NpyWriter.TypeFor(t.Type), shape, t.Span);
        string npyPath = GoldenManifest.TensorPath(name, "npy"), memhPath = GoldenManifest.TensorPath(name, "memh");
        File.WriteAllBytes(Path.Combine(dir, npyPath), npy);
        File.WriteAllBytes(Path.Combine(dir, memhPath), Encoding.ASCII.GetBytes(MemhWriter.Format(name, t)));
        return new GoldenTensor(name, t.Shape, t.Type, npyPath, memhPath, Convert.ToHexStringLower(SHA256.HashData(npy)));
    }

    /// <summary>Every parameter given, and every layer's tensor present with the layer's shape and type.</summary>
    private static void CheckComplete(Graph g, ReferenceRun run)
    {
        var problems = new List<string>();
        foreach (var layer in g.LayersMissingParameters())
            problems.Add($"layer '{layer.Name}' ({layer.Op.OpName}) has no parameters yet; fill them before exporting");
        foreach (var layer in g.Layers)
        {
            if (!run.Tensors.TryGetValue(layer.Name, out var t))
                problems.Add($"the run has no tensor for layer '{layer.Name}'");
            else if (t.Shape != layer.Output.Shape || t.Type != layer.Output.Type)
                problems.Add($"the run's tensor '{layer.Name}' is {t.Shape} {t.Type}, the layer's output is {layer.Output.Shape} {layer.Output.Type}");
        }
        if (problems.Count > 0) throw new ValidationException($"golden set of '{g.Name}'", problems);
    }
}
