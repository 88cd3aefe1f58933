using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using Xunit.Sdk;

namespace BnnHdl.Tests.Reference;

/// <summary>
/// Seeded random tensors and parameters of the correct form, and the reference-vs-oracle
/// comparison of a whole small network.
/// </summary>
internal static class RandomCases
{
    /// <summary>Every activation type the dot products take: B and U(1) .. U(8).</summary>
    public static readonly DataType[] QuantizedTypes =
        [DataType.B, .. Enumerable.Range(1, 8).Select(DataType.U)];

    public static DataType AnyQuantized(SeededRandom r) => QuantizedTypes[r.Next(0, QuantizedTypes.Length - 1)];

    public static T Pick<T>(SeededRandom r, params T[] choices) => choices[r.Next(0, choices.Length - 1)];

    public static int Between(SeededRandom r, int min, int max) => (int)r.Next(min, max);

    public static TensorData Tensor(SeededRandom r, Shape shape, DataType type)
    {
        var values = new long[shape.Size];
        for (int i = 0; i < values.Length; i++)
            values[i] = type.IsBipolar ? (r.NextBool() ? 1 : -1) : r.Next(type.Min, type.Max);
        return TensorData.Create(shape, type, values);
    }

    /// <summary>
    /// Gives every Conv2d / Linear random weights (and bias when declared), then every
    /// MultiThreshold random thresholds fitted to its input's bounds (which the bias moves).
    /// </summary>
    public static Graph FillParameters(Graph g, SeededRandom r)
    {
        var weights = new Dictionary<string, LayerParams>();
        foreach (var layer in g.Layers)
        {
            int ic = g.Tensor(layer.Inputs.FirstOrDefault() ?? layer.Name).Shape.C;
            if (layer.Op is Conv2dOp c)
            {
                int count = c.Groups.Resolve(ic, c.OutChannels).Sum(gr => gr.OutCount * gr.InCount) * c.Kernel.Y * c.Kernel.X;
                weights[layer.Name] = LayerParams.Conv(Weights(r, count, c.Weights), c.HasBias ? Bias(r, c.OutChannels) : null);
            }
            else if (layer.Op is LinearOp l)
                weights[layer.Name] = LayerParams.Conv(Weights(r, l.OutFeatures * ic, l.Weights), l.HasBias ? Bias(r, l.OutFeatures) : null);
        }
        var withWeights = g.WithParams(weights);
        var thresholds = new Dictionary<string, LayerParams>();
        foreach (var layer in withWeights.Layers)
            if (layer.Op is MultiThresholdOp m)
                thresholds[layer.Name] = Thresholds(r, withWeights.Tensor(layer.Inputs[0]), m.LevelsMinusOne);
        return withWeights.WithParams(thresholds);
    }

    private static sbyte[] Weights(SeededRandom r, int count, WeightType type)
    {
        var w = new sbyte[count];
        for (int i = 0; i < count; i++)
            w[i] = type == WeightType.Bipolar ? (sbyte)(r.NextBool() ? 1 : -1) : (sbyte)(r.NextBool() ? 1 : 0);
        return w;
    }

    private static int[] Bias(SeededRandom r, int count) =>
        Enumerable.Range(0, count).Select(_ => (int)r.Next(-40, 40)).ToArray();

    /// <summary>
    /// Ascending thresholds per channel, drawn around the middle of the input's range so that
    /// every level occurs; some channels get repeated thresholds, and INT32_MIN / INT32_MAX
    /// at the ends to force a level. Directions are random.
    /// </summary>
    public static LayerParams Thresholds(SeededRandom r, TensorInfo input, int n)
    {
        int channels = input.Shape.C;
        var t = new int[channels * n];
        var s = new sbyte[channels];
        long mid = (input.Min + input.Max) / 2, span = Math.Max(2, (input.Max - input.Min) / 6);
        for (int c = 0; c < channels; c++)
        {
            s[c] = (sbyte)(r.NextBool() ? 1 : -1);
            // s * x ranges over [-Max, -Min] when s = -1: centre the thresholds there.
            long centre = s[c] * mid;
            var row = Enumerable.Range(0, n)
                .Select(_ => (int)Math.Clamp(r.Next(centre - span - 1, centre + span + 1), int.MinValue + 1L, int.MaxValue - 1L))
                .ToArray();
            Array.Sort(row);
            if (n > 1 && r.Next(0, 2) == 0)
            {
                int j = (int)r.Next(1, n - 1);
                row[j] = row[j - 1]; // a repeated threshold: still ascending
            }
            int kind = (int)r.Next(0, 5);
            if (kind == 0) row[0] = int.MinValue;
            if (kind == 1) row[n - 1] = int.MaxValue;
            if (kind == 2 && n > 2) { row[0] = int.MinValue; row[n - 1] = int.MaxValue; }
            row.CopyTo(t, c * n);
        }
        return LayerParams.Threshold(t, s);
    }

    /// <summary>
    /// Runs the reference model and the oracle on a random input and requires every tensor
    /// of the run to be equal; the failure names the case, the layer and the first difference.
    /// </summary>
    public static ReferenceRun CheckAgainstOracle(Graph g, SeededRandom r, string description)
    {
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        var run = ReferenceModel.Run(g, input);
        var expected = Oracle.Run(g, input);
        foreach (var layer in g.Layers)
        {
            var (got, want) = (run[layer.Name], expected[layer.Name]);
            if (got == want) continue;
            if (got.Shape != want.Shape || got.Type != want.Type)
                throw new XunitException($"{description}: layer '{layer.Name}' is {got.Shape} {got.Type}, oracle {want.Shape} {want.Type}");
            int i = Enumerable.Range(0, want.Values.Count).First(k => got.Values[k] != want.Values[k]);
            throw new XunitException($"{description}: layer '{layer.Name}' value {i} is {got.Values[i]}, oracle {want.Values[i]}\n{g.Dump()}");
        }
        return run;
    }
}
