using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// One network that chains every operation the engine runs, shaped like a small MSCAN block
/// with a SparseInst head: a stride-2 stem; a depthwise 5x5 and a 1x7 / 7x1 strip pair whose
/// sum is gated (U1) onto the block input, with a residual Add around the block; max pooling
/// and a Condensation-Net cross-channel pool (G = 2); a PPM (adaptive sum pooling to bins 1,
/// 2, 3, 6, 1x1 convs, nearest upsampling back, Concat); coordinate channels; mask features
/// and B instance activation maps; two act x act products (instance features, then masks
/// from per-instance kernels); a global sum pool; class logits; a standalone threshold of
/// the raw mask logits.
/// </summary>
public static class AllOpsModel
{
    public const string Name = "all-ops";
    public const string Description = "engine test network chaining every engine operation (MSCAN block + SparseInst-style head), 3x24x24";

    /// <summary>A stride-2 stem, then bins 1, 2, 3, 6 upsampled back by integers: sizes divisible by 12.</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H >= 12 && s.W >= 12 && s.H % 12 == 0 && s.W % 12 == 0,
        $"C,H,W with H and W multiples of 12 (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 24, 24);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var (u1, u2) = (DataType.U(1), DataType.U(2));
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);
        var stem = b.MultiThreshold(b.Conv2d(x, 16, 3, stride: 2, pad: 1, name: "stem.conv"), u2, name: "stem");
        int h = shape.H / 2, w = shape.W / 2;

        // MSCAN-style attention: depthwise 5x5, strip pair, their sum, a 1x1 to a U1 gate on the block input.
        var dw = b.MultiThreshold(b.DepthwiseConv2d(stem, 5, pad: 2, name: "attn.dw"), u2, name: "attn.dw.act");
        var stripH = b.MultiThreshold(b.DepthwiseConv2d(dw, new Pair(1, 7), pad: new Padding(0, 3, 0, 3), name: "attn.h"), u2, name: "attn.h.act");
        var stripSum = b.MultiThreshold(
            b.Add(b.DepthwiseConv2d(stripH, new Pair(7, 1), pad: new Padding(3, 0, 3, 0), name: "attn.v"), dw, 0, 2, name: "attn.sum"),
            u2, name: "attn.sum.act");
        var gate = b.MultiThreshold(b.Conv2d(stripSum, 16, 1, name: "attn.gate.conv"), u1, name: "attn.gate");
        var gated = b.Mul(gate, stem, name: "attn.mul");
        // Residual Add around the block.
        var block = b.MultiThreshold(b.Add(b.Conv2d(gated, 16, 1, name: "block.proj"), stem, 0, 1, name: "block.add"), u2, name: "block");

        // Max pooling, then Condensation-Net cross-channel pooling at write-back: 32 -> 16 channels.
        var pooled = b.MaxPool2d(block, 3, 1, 1, name: "block.max");
        var condensed = b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(pooled, 32, 3, pad: 1, name: "xcp.conv"), u2, name: "xcp.act"), 2, name: "xcp");

        // PPM: bins 1, 2, 3, 6, a 1x1 each, nearest upsampling back, concatenated with the input map.
        var branches = new List<TensorInfo> { condensed };
        foreach (int bins in new[] { 1, 2, 3, 6 })
        {
            // Average pooling: the sum, requantized by thresholds that absorb the division.
            var avg = b.MultiThreshold(b.AdaptiveSumPool(condensed, bins, name: $"ppm{bins}.sum"), u2, name: $"ppm{bins}.avg");
            var act = b.MultiThreshold(b.Conv2d(avg, 4, 1, name: $"ppm{bins}.conv"), u2, name: $"ppm{bins}.act");
            branches.Add(b.UpsampleNearest(act, new Pair(h / bins, w / bins), name: $"ppm{bins}.up"));
        }
        var ppm = b.Concat(branches, name: "ppm.cat");
        var fused = b.MultiThreshold(b.Conv2d(ppm, 16, 1, name: "fuse.conv"), u2, name: "fuse");
        var coord = b.CoordChannels(fused, 2, name: "coord");

        // SparseInst-style head: mask features, 8 B instance maps, instance features, kernels, masks.
        var features = b.MultiThreshold(b.Conv2d(coord, 16, 3, pad: 1, name: "mask.conv"), u2, name: "mask.features");
        var iam = b.MultiThreshold(b.Conv2d(coord, 8, 3, pad: 1, name: "iam.conv"), DataType.B, name: "iam");
        var inst = b.MultiThreshold(b.ActMatMul(features, iam, transposeB: true, name: "inst.mm"), u2, name: "inst");
        var kernels = b.MultiThreshold(b.Conv2d(inst, 16, 1, name: "kernel.conv"), DataType.B, name: "kernels");
        var masks = b.ActMatMul(kernels, features, transposeA: true, outHeight: h, outWidth: w, name: "masks");
        var maskBits = b.MultiThreshold(masks, DataType.B, name: "mask.bits");
        var logits = b.Conv2d(inst, 2, 1, bias: true, name: "cls");
        var score = b.GlobalSumPool(fused, name: "score");
        b.Output(logits, masks, maskBits, score);
        return b.Build();
    }
}
