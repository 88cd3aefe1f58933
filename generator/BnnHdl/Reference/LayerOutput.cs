using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// Wraps a layer's computed values as its output tensor, checking them against the
/// layer's inferred <see cref="TensorInfo"/>. Bound inference decides the hardware's widths,
/// so a value outside the bounds is an internal bug (in inference or in the model) and must
/// stop the run rather than be exported as golden data.
/// </summary>
internal static class LayerOutput
{
    public static TensorData Create(Layer layer, long[] values)
    {
        var info = layer.Output;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < info.Min || values[i] > info.Max)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"layer '{layer.Name}' ({layer.Op.OpName}): value {values[i]} at index {i} is outside the inferred bounds [{info.Min}, {info.Max}]"));
        }
        return TensorData.Create(info.Shape, info.Type, values);
    }

    /// <summary>The index of (c, y, x) in a channels-first tensor.</summary>
    public static int Index(Shape s, int c, int y, int x) => (c * s.H + y) * s.W + x;
}
