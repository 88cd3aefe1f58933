using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// A small network that exercises every operation of SPEC section 3 in a few milliseconds:
/// the model for end-to-end tests (reference, golden export, RTL). Not a published network;
/// the shapes are chosen to be small and to hit every operation and every special case the
/// engine must support (pad value -1 and +1 of bipolar inputs, uneven groups, unipolar
/// weights, strip kernels, both gate types, act x act products).
/// </summary>
public static class TinyModel
{
    public const string Name = "tiny";
    public const string Description = "small test network exercising every operation, 3x32x32, runs in milliseconds";

    /// <summary>
    /// Any channel count; H and W multiples of 4 (one stride-2 conv and one 2x2 pool halve
    /// the map twice, and the pooled path is upsampled back to meet the unpooled one).
    /// </summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H > 0 && s.W > 0 && s.H % 4 == 0 && s.W % 4 == 0,
        $"C,H,W with H and W multiples of 4 (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 32, 32);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u1 = DataType.U(1);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        // Stem on the U8 image, requantized to U2. Full resolution H x W.
        var stem = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "stem.conv"), u2, name: "stem.act");

        // Strided conv: H/2 x W/2 from here on.
        var down = b.MultiThreshold(b.Conv2d(stem, 16, 3, stride: 2, pad: 1, name: "down.conv"), u2, name: "down.act");
        var dw = b.MultiThreshold(b.DepthwiseConv2d(down, 3, pad: 1, name: "dw.conv"), u2, name: "dw.act");

        // Dilated conv whose raw accumulator meets the skip: the U2 skip is shifted left to
        // align with the accumulator's scale before the add, then the sum is requantized.
        var dilated = b.Conv2d(dw, 16, 3, pad: 2, dilation: 2, name: "dil.conv");
        var res = b.MultiThreshold(b.Add(dilated, down, shiftB: 2, name: "res.add"), u2, name: "res.act");

        // Uneven groups (4 -> 4 and 12 -> 8 channels) with unipolar {0,1} weights.
        var grouped = b.Conv2d(res, 12, 1, weights: WeightType.Unipolar,
            unevenGroups: [new GroupRange(0, 4, 0, 4), new GroupRange(4, 16, 4, 12)], name: "group.conv");
        var group = b.MultiThreshold(grouped, u2, name: "group.act");

        // Strip convolutions (1x5 then 5x1, depthwise, as in MSCAN's attention), ending bipolar.
        var stripH = b.MultiThreshold(b.DepthwiseConv2d(group, new Pair(1, 5), pad: Padding.Of(0, 2), name: "strip.h"),
            u2, name: "strip.h.act");
        var bin = b.MultiThreshold(b.DepthwiseConv2d(stripH, new Pair(5, 1), pad: Padding.Of(2, 0), name: "strip.v"),
            DataType.B, name: "bin.act");

        // Two convs on the B tensor, one padding with -1, one with +1; they make the gates.
        var gateU1 = b.MultiThreshold(b.Conv2d(bin, 16, 3, pad: 1, padValue: -1, name: "bin.conv_neg"), u1, name: "gate.u1");
        var gateB = b.MultiThreshold(b.Conv2d(bin, 16, 3, pad: 1, padValue: 1, name: "bin.conv_pos"), DataType.B, name: "gate.b");

        // Gating: U1 gate (AND, stays U2), then B gate (conditional negate, becomes I).
        var anded = b.Mul(gateU1, res, name: "gated.and");
        var gated = b.MultiThreshold(b.Mul(gateB, anded, name: "gated.neg"), u2, name: "gated.act");

        // Condensation-Net cross-channel max pool: 16 -> 8 channels.
        var condensed = b.CrossChannelMaxPool(gated, 2, name: "xcpool");

        // Max and average pooling (H/4), average = sum pool + thresholds that absorb the /4.
        var pooledMax = b.MaxPool2d(condensed, 2, name: "pool.max");
        var pooledAvg = b.MultiThreshold(b.SumPool2d(condensed, 2, name: "pool.sum"), u2, name: "pool.avg");
        var pooled = b.Concat([pooledMax, pooledAvg], name: "cat.pool");

        // Back to H/2, joined with the unpooled path, plus coordinate channels.
        var up = b.UpsampleNearest(pooled, 2, name: "up");
        var joined = b.CoordChannels(b.Concat([condensed, up], name: "cat"), 2, name: "coord");
        var head = b.MultiThreshold(b.Conv2d(joined, 16, 3, pad: 1, name: "head.conv"), u2, name: "head.act");

        // Pyramid pooling context (SparseInst's PPM): 2x2 adaptive bins, upsampled back.
        var bins = b.MultiThreshold(b.AdaptiveSumPool(head, 2, name: "ppm.sum"), u2, name: "ppm.avg");
        var context = b.UpsampleNearest(bins, new Pair(shape.H / 4, shape.W / 4), name: "ppm.up");
        var withContext = b.Concat([head, context], name: "ppm.cat");

        // Instance branch (SparseInst's IAM): 4 binary activation maps; instance features =
        // features [16][HW] x maps^T [HW][4], stored 16 x 1 x 4 (one position per instance),
        // so the Linear classifies each instance.
        var maps = b.MultiThreshold(b.Conv2d(withContext, 4, 3, pad: 1, name: "iam.conv"), u1, name: "iam.act");
        var instances = b.MultiThreshold(b.ActMatMul(head, maps, transposeB: true, name: "inst.matmul"), u2, name: "inst.act");
        var instanceLogits = b.Linear(instances, 5, bias: true, name: "inst.cls");

        // Image branch: global average pool and a classifier with bias.
        var global = b.MultiThreshold(b.GlobalSumPool(head, name: "img.sum"), u2, name: "img.avg");
        var imageLogits = b.Linear(global, 10, bias: true, name: "img.cls");

        // Both outputs are raw accumulators (I-typed).
        b.Output(instanceLogits, imageLogits);
        return b.Build();
    }
}
