using BnnHdl.Network;
using BnnHdl.Quant;

namespace BnnHdl.Golden;

/// <summary>One parameter file of a layer: its kind (manifest key), dtype, shape and values.</summary>
public sealed record ParameterArray(string Kind, NpyType Type, EquatableArray<int> Shape, EquatableArray<long> Values)
{
    public string FileName(string layerName) => $"{layerName}.{Kind}.npy";
}

/// <summary>
/// A layer's parameters as the arrays of SPEC.md section 6: weights int8 [OC][IC/groups][KH][KW]
/// (Linear: [OUT][IN][1][1]), bias int32 [OC], thresholds int32 [C][n], direction int8 [C].
/// Uneven groups whose input-channel counts differ cannot fill one rectangular array: the
/// weights are then [OC][max ICg][KH][KW], each output channel's unused tail set to 0, and
/// the layer's attrs say <c>weights_padded: true</c>. The <c>groups</c> attribute tells which
/// entries are real (channel o uses the first ICg entries of its group); for bipolar weights
/// 0 is not a weight value at all, so the padding is unmistakable even without it.
/// </summary>
public static class ParameterArrays
{
    public static IReadOnlyList<ParameterArray> Of(Layer layer, TensorInfo input)
    {
        var list = new List<ParameterArray>();
        var p = layer.Params;
        if (WeightLayout.Of(layer, input) is { } layout)
        {
            if (p.Weights.Count > 0) list.Add(Weights(layout, p.Weights));
            if (p.Bias.Count > 0) list.Add(Array("bias", NpyType.Int32, [p.Bias.Count], p.Bias.Select(b => (long)b)));
        }
        if (layer.Op is MultiThresholdOp mt && p.Thresholds.Count > 0)
        {
            int channels = p.Direction.Count;
            list.Add(Array("thresholds", NpyType.Int32, [channels, mt.LevelsMinusOne], p.Thresholds.Select(t => (long)t)));
            list.Add(Array("direction", NpyType.Int8, [channels], p.Direction.Select(d => (long)d)));
        }
        return list;
    }

    /// <summary>True when the layer's weights need padding to be one rectangular array.</summary>
    public static bool WeightsPadded(Layer layer, TensorInfo input) => WeightLayout.Of(layer, input)?.IsRagged ?? false;

    private static ParameterArray Weights(WeightLayout layout, EquatableArray<sbyte> weights)
    {
        int width = layout.MaxInChannels, taps = layout.Taps;
        var offsets = layout.Offsets();
        var values = new long[(long)layout.OutChannels * width * taps];
        for (int o = 0; o < layout.OutChannels; o++)
        {
            int used = layout.InChannels[o] * taps;
            for (int k = 0; k < used; k++) values[(long)o * width * taps + k] = weights[(int)(offsets[o] + k)];
        }
        return new ParameterArray("weights", NpyType.Int8,
            EquatableArray.From(layout.OutChannels, width, layout.KernelH, layout.KernelW),
            EquatableArray<long>.TakeOwnership(values));
    }

    private static ParameterArray Array(string kind, NpyType type, int[] shape, IEnumerable<long> values) =>
        new(kind, type, EquatableArray<int>.TakeOwnership(shape), values.ToEquatableArray());
}
