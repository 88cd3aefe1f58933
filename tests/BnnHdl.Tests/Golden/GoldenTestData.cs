using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Golden;

/// <summary>
/// Small networks and runs for the exporter tests. The synthetic run fills every tensor with
/// seeded values within the layer's bounds: the exporter only writes what it is given, so
/// its tests do not depend on the reference model.
/// </summary>
internal static class GoldenTestData
{
    /// <summary>Every op kind the manifest has attributes for, including uneven groups (padded weights).</summary>
    public static Graph AllOps()
    {
        var b = new NetworkBuilder("allops");
        var x = b.Input(3, 6, 6);
        var c1 = b.Conv2d(x, 4, 3, pad: 1, bias: true, name: "conv1");
        var q1 = b.MultiThreshold(c1, DataType.U(2), name: "q1");
        var g = b.Conv2d(q1, 5, 1, unevenGroups: [new(0, 1, 0, 2), new(1, 4, 2, 5)], weights: WeightType.Unipolar, name: "grouped");
        var q2 = b.MultiThreshold(g, DataType.B, name: "q2");
        var mp = b.MaxPool2d(q2, 2, name: "maxpool");
        var dw = b.DepthwiseConv2d(mp, 3, pad: new Padding(1, 0, 1, 2), padValue: -1, name: "dw");
        var q3 = b.MultiThreshold(dw, DataType.U(2), name: "q3");
        var cc = b.CrossChannelMaxPool(b.Concat([q3, q3], name: "cat"), 2, name: "xcpool");
        var coord = b.CoordChannels(cc, 2, name: "coord");
        var up = b.UpsampleNearest(coord, new Pair(2, 1), name: "up");
        var sp = b.SumPool2d(up, 2, name: "sumpool");
        var q4 = b.MultiThreshold(sp, DataType.U(1), name: "q4");
        var mul = b.Mul(q4, q4, name: "gate");
        var add = b.Add(mul, sp, shiftA: 2, name: "add");
        var ad = b.AdaptiveSumPool(q4, new Pair(2, 1), name: "adaptive");
        var mm = b.ActMatMul(q4, q4, transposeB: true, name: "matmul");
        var gs = b.GlobalSumPool(q3, name: "gsum");
        var q5 = b.MultiThreshold(gs, DataType.U(2), name: "q5");
        var fc = b.Linear(q5, 3, bias: true, name: "fc");
        b.Output(fc, add, ad, mm);
        return b.Build();
    }

    /// <summary>Weights from the seed, thresholds 0, 1, 2, .. shifted per channel, directions alternating.</summary>
    public static Graph WithParameters(Graph g, long seed)
    {
        g = RandomParameters.FillWeights(g, seed);
        var thresholds = new Dictionary<string, LayerParams>();
        foreach (var layer in g.Layers)
        {
            if (layer.Op is not MultiThresholdOp mt || layer.Params.Thresholds.Count > 0) continue;
            int c = layer.Output.Shape.C, n = mt.LevelsMinusOne;
            var t = new int[c * n];
            var d = new sbyte[c];
            for (int ch = 0; ch < c; ch++)
            {
                d[ch] = ch % 2 == 0 ? (sbyte)1 : (sbyte)-1;
                for (int j = 0; j < n; j++) t[ch * n + j] = j - ch;
            }
            thresholds[layer.Name] = LayerParams.Threshold(t, d);
        }
        return g.WithParams(thresholds);
    }

    /// <summary>Seeded values within every layer's bounds (not the network's arithmetic).</summary>
    public static ReferenceRun SyntheticRun(Graph g, long seed)
    {
        var tensors = new Dictionary<string, TensorData>();
        foreach (var layer in g.Layers)
        {
            var info = layer.Output;
            if (layer.Op is InputOp)
            {
                tensors[layer.Name] = InputImages.Random(info, seed);
                continue;
            }
            var random = SeededRandom.For(seed, "synthetic/" + layer.Name);
            var values = new long[info.Shape.Size];
            for (int i = 0; i < values.Length; i++)
                values[i] = info.Type.IsBipolar ? (random.NextBool() ? 1 : -1) : random.Next(info.Min, info.Max);
            tensors[layer.Name] = TensorData.Create(info.Shape, info.Type, values);
        }
        return new ReferenceRun(g, tensors);
    }

    public static string TempDir(string purpose)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bnnhdl-golden-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Every file under a folder, by path relative to it (sorted, '/'-separated).</summary>
    public static SortedDictionary<string, byte[]> ReadTree(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);
}
