using System.Text.Json;
using BnnHdl.Network;

namespace BnnHdl.Golden;

/// <summary>
/// The manifest's <c>attrs</c> object of one layer: the op attributes of SPEC.md section 3 in
/// snake_case, in a fixed order per op. Groups are always the explicit list
/// [[ic0, ic1, oc0, oc1], ...] (half-open ranges), equal groups expanded.
/// </summary>
public static class LayerAttributes
{
    public static void Write(Utf8JsonWriter w, Layer layer, TensorInfo input)
    {
        w.WriteStartObject();
        switch (layer.Op)
        {
            case Conv2dOp c:
                w.WriteNumber("out_channels", c.OutChannels);
                Pair(w, "kernel", c.Kernel);
                Pair(w, "stride", c.Stride);
                CompactJson.Ints(w, "pad", c.Pad.Top, c.Pad.Left, c.Pad.Bottom, c.Pad.Right);
                Pair(w, "dilation", c.Dilation);
                CompactJson.IntLists(w, "groups",
                    c.Groups.Resolve(input.Shape.C, c.OutChannels).Select(g => new[] { g.InStart, g.InEnd, g.OutStart, g.OutEnd }));
                w.WriteNumber("pad_value", c.PadValue);
                w.WriteString("weight_type", c.Weights.Name());
                w.WriteBoolean("bias", c.HasBias);
                w.WriteBoolean("weights_padded", ParameterArrays.WeightsPadded(layer, input));
                break;
            case LinearOp l:
                w.WriteNumber("out_features", l.OutFeatures);
                w.WriteString("weight_type", l.Weights.Name());
                w.WriteBoolean("bias", l.HasBias);
                break;
            case ActMatMulOp m:
                w.WriteBoolean("transpose_a", m.TransposeA);
                w.WriteBoolean("transpose_b", m.TransposeB);
                CompactJson.Ints(w, "out_hw", m.OutH, m.OutW);
                break;
            case MultiThresholdOp t:
                w.WriteString("out_type", t.OutType.Name);
                break;
            case AddOp a:
                CompactJson.Ints(w, "shifts", a.ShiftA, a.ShiftB);
                break;
            case Pool2dOp p:
                Pair(w, "kernel", p.Kernel);
                Pair(w, "stride", p.Stride);
                CompactJson.Ints(w, "pad", p.Pad.Top, p.Pad.Left, p.Pad.Bottom, p.Pad.Right);
                break;
            case AdaptiveSumPoolOp a:
                Pair(w, "bins", a.Bins);
                break;
            case CrossChannelMaxPoolOp x:
                w.WriteNumber("group", x.Group);
                break;
            case UpsampleNearestOp u:
                Pair(w, "factor", u.Factor);
                break;
            case CoordChannelsOp k:
                w.WriteNumber("bits", k.Bits);
                break;
            case MulOp or GlobalSumPoolOp or ConcatOp:
                break;
            default:
                throw new InvalidOperationException($"no manifest attributes for {layer.Op.OpName}");
        }
        w.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter w, string name, Pair p) => CompactJson.Ints(w, name, p.Y, p.X);
}
