using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Quant;

/// <summary>
/// Seeded random parameters for the layers that do not have them yet. Each layer draws from
/// its own stream (<c>SeededRandom.For(seed, "layer/weights")</c>), so adding or changing one
/// layer leaves every other layer's values alone. Parameters already given are never touched.
/// </summary>
public static class RandomParameters
{
    /// <summary>
    /// Random weights, then biases, then thresholds calibrated on <paramref name="input"/>
    /// (see <see cref="ThresholdCalibration"/>): a complete network the reference model can run.
    /// </summary>
    public static Graph Fill(Graph g, TensorData input, long seed, IProgress<string>? progress = null) =>
        ThresholdCalibration.Calibrate(FillWeights(g, seed), input, seed, progress);

    /// <summary>
    /// Weights (uniform -1/+1 for bipolar, 0/1 for unipolar layers) and biases for every Conv2d
    /// and Linear layer missing them. A bias is drawn so that it moves the accumulator bounds
    /// without changing the layer's output type: see <see cref="DrawBias"/>.
    /// </summary>
    public static Graph FillWeights(Graph g, long seed)
    {
        var replacements = new Dictionary<string, LayerParams>();
        foreach (var layer in g.Layers)
        {
            (WeightType Type, bool HasBias)? declared = layer.Op switch
            {
                Conv2dOp c => (c.Weights, c.HasBias),
                LinearOp l => (l.Weights, l.HasBias),
                _ => null,
            };
            if (declared is not { } d) continue;
            var (weightType, hasBias) = d;
            var layout = WeightLayout.Of(layer, g.Tensor(layer.Inputs[0]))!;

            var p = layer.Params;
            if (p.Weights.Count == 0)
                p = p with { Weights = EquatableArray<sbyte>.TakeOwnership(DrawWeights(layout, weightType, seed, layer.Name)) };
            // The bias draw reads the layer's current bounds, which exclude the bias while it is missing.
            if (hasBias && p.Bias.Count == 0)
                p = p with { Bias = EquatableArray<int>.TakeOwnership(DrawBias(layer.Output, layout.OutChannels, seed, layer.Name)) };
            if (p != layer.Params) replacements[layer.Name] = p;
        }
        return replacements.Count == 0 ? g : g.WithParams(replacements);
    }

    private static sbyte[] DrawWeights(WeightLayout layout, WeightType type, long seed, string layerName)
    {
        var random = SeededRandom.For(seed, layerName + "/weights");
        var weights = new sbyte[layout.Count];
        sbyte low = type == WeightType.Bipolar ? (sbyte)-1 : (sbyte)0;
        for (long i = 0; i < weights.LongLength; i++) weights[i] = random.NextBool() ? (sbyte)1 : low;
        return weights;
    }

    /// <summary>
    /// Biases uniform in [T.Min - Min, T.Max - Max] (so the biased bounds still fit the type T
    /// the layer has without bias) intersected with +-max(1, (Max - Min) / 8), so a bias shifts
    /// the accumulator noticeably but never dominates it. If the draw would let the bounds
    /// shrink into a narrower type, the smallest bias is set to 0: then the biased bounds
    /// contain the unbiased ones and need exactly T again.
    /// </summary>
    internal static int[] DrawBias(TensorInfo unbiased, int channels, long seed, string layerName)
    {
        var random = SeededRandom.For(seed, layerName + "/bias");
        var type = unbiased.Type;
        long moderate = Math.Clamp((unbiased.Max - unbiased.Min) / 8, 1, int.MaxValue / 2);
        long low = Math.Max(Math.Max(type.Min - unbiased.Min, -moderate), int.MinValue);
        long high = Math.Min(Math.Min(type.Max - unbiased.Max, moderate), int.MaxValue);
        var bias = new int[channels];
        for (int c = 0; c < channels; c++) bias[c] = (int)random.Next(low, high);

        long min = unbiased.Min + bias.Min(), max = unbiased.Max + bias.Max();
        if (DataType.SignedFor(min, max) != type)
        {
            int smallest = Array.IndexOf(bias, bias.MinBy(Math.Abs));
            bias[smallest] = 0;
        }
        return bias;
    }
}
