using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// SparseInst's decoder size (Cheng et al., CVPR 2022; hustvl/SparseInst
/// <c>configs/Base-SparseInst.yaml</c> and the G-IAM configs): encoder and decoder width D,
/// instances N, classes, mask-kernel dimension, IAM groups, 3x3 convs per branch.
/// </summary>
public sealed record SparseInstOptions(int Width = 256, int Instances = 100, int Classes = 1, int KernelDim = 128, int Groups = 4, int Convs = 4);

/// <summary>
/// The SparseInst instance context encoder and G-IAM decoder on three backbone maps (strides
/// 8, 16, 32) as a binary-weight network. Names are the official modules' (<c>encoder.*</c>,
/// <c>decoder.*</c>). How the float operations map:
/// <list type="bullet">
/// <item>Conv (+ ReLU): a sign-weight Conv2d and a MultiThreshold (bias and ReLU fold into
/// the thresholds; a conv without activation gets a linear quantizer).</item>
/// <item>PPM average pools: AdaptiveSumPool and a MultiThreshold (the division is a scale
/// the thresholds absorb). Its bilinear resize back to the 1/32 map is a nearest resize
/// (<see cref="ResizeNearest"/>), and so are the encoder's bilinear resizes to 1/8 (integer
/// factors: UpsampleNearest).</item>
/// <item>Top-down <c>lateral + upsample(prev)</c>: a residual Add fused into the lateral
/// conv's write-back.</item>
/// <item>The IAM's sigmoid: a MultiThreshold (monotone). Its normalization by each
/// instance's sum over positions is a data-dependent scale no threshold can absorb; it is
/// left out (the features that follow are requantized by fixed thresholds).</item>
/// <item>Instance aggregation <c>bmm(iam, features)</c> and the dynamic masks
/// <c>bmm(kernels, mask features)</c>: ActMatMul (act x act, bit-serial on both).</item>
/// <item>G-IAM's reshape of the N G aggregated rows to N rows of G D features, then the FC:
/// one Conv2d of kernel 1 x G and dilation N over the N G instance positions (tap g of
/// instance n reads position g N + n), exactly the FC's weights regrouped.</item>
/// <item>Heads: 1x1 convs over the instance positions (Linear per position); class and
/// objectness logits stay raw I(w) (sigmoid and scores are host decoding, SPEC 4); the mask
/// kernels are quantized to B so the mask product is act x act; mask logits stay raw.</item>
/// </list>
/// </summary>
public static class SparseInst
{
    /// <summary>The network outputs: class logits (classes x 1 x N), objectness (1 x 1 x N), mask logits (N x H/8 x W/8).</summary>
    public sealed record Heads(TensorInfo Logits, TensorInfo Objectness, TensorInfo Masks);

    /// <summary>
    /// Adds the encoder and decoder on the backbone maps <paramref name="c3"/> to <paramref name="c5"/>.
    /// <paramref name="xcp"/> = G > 1: the encoder's and both branches' dense 3x3 convolutions
    /// are Condensation-Net layers, G-fold wide and pooled back across channels at write-back.
    /// </summary>
    public static Heads Decoder(NetworkBuilder b, TensorInfo c3, TensorInfo c4, TensorInfo c5, SparseInstOptions o, int bits = 2, int xcp = 1)
    {
        var act = DataType.U(bits);
        string I(int i) => i.ToString(CultureInfo.InvariantCulture);
        TensorInfo Conv(TensorInfo x, int oc, int k, string name, DataType? type = null, int groups = 1) =>
            k == 3 && groups == 1 && type is null
                ? BinaryBlocks.ConvActXcp(b, x, name, oc, k, act, xcp, pad: 1)
                : b.MultiThreshold(b.Conv2d(x, oc, k, pad: k / 2, groups: groups, name: name), type ?? act, name: name + ".act");
        int d = o.Width;

        // Instance context encoder: laterals from the coarsest level down, PPM on C5's lateral.
        var lat5 = Conv(c5, d, 1, "encoder.fpn_laterals.0");
        var priors = new List<TensorInfo>();
        int[] sizes = [1, 2, 3, 6];
        for (int i = 0; i < sizes.Length; i++)
        {
            string stage = $"encoder.ppm.stages.{I(i)}";
            var avg = b.MultiThreshold(b.AdaptiveSumPool(lat5, sizes[i], name: stage + ".0"), act, name: stage + ".0.avg");
            priors.Add(ResizeNearest(b, Conv(avg, d / 4, 1, stage + ".1"), lat5.Shape.H, lat5.Shape.W, stage + ".up"));
        }
        priors.Add(lat5);
        var prev = Conv(b.Concat(priors, name: "encoder.ppm.cat"), d, 1, "encoder.ppm.bottleneck");
        var outs = new List<TensorInfo> { Conv(prev, d, 3, "encoder.fpn_outputs.0") };
        var levels = new[] { c4, c3 };
        for (int k = 0; k < levels.Length; k++)
        {
            string lat = $"encoder.fpn_laterals.{I(k + 1)}";
            var up = b.UpsampleNearest(prev, 2, name: lat + ".topdown");
            prev = b.MultiThreshold(b.Add(b.Conv2d(levels[k], d, 1, name: lat), up, name: lat + ".add"), act, name: lat + ".add.q");
            outs.Insert(0, Conv(prev, d, 3, $"encoder.fpn_outputs.{I(k + 1)}"));
        }
        var fused = b.Concat([outs[0], b.UpsampleNearest(outs[1], 2, name: "encoder.up4"), b.UpsampleNearest(outs[2], 4, name: "encoder.up5")], name: "encoder.cat");
        var features = Conv(fused, d, 1, "encoder.fusion");

        // Decoder: coordinate channels, then the instance and mask branches.
        var coord = b.CoordChannels(features, bits, name: "decoder.coord");
        var inst = coord;
        for (int i = 0; i < o.Convs; i++) inst = Conv(inst, d, 3, $"decoder.inst_branch.inst_convs.{I(2 * i)}");
        int n = o.Instances, g = o.Groups;
        var iam = Conv(inst, n * g, 3, "decoder.inst_branch.iam_conv", groups: g);
        // Rows g N + n of bmm(iam, features): D channels at N G instance positions.
        var agg = b.MultiThreshold(b.ActMatMul(inst, iam, transposeB: true, name: "decoder.inst_branch.bmm"), act, name: "decoder.inst_branch.bmm.q");
        var fc = b.MultiThreshold(b.Conv2d(agg, g * d, new Pair(1, g), dilation: new Pair(1, n), name: "decoder.inst_branch.fc"), act, name: "decoder.inst_branch.fc.act");
        var logits = b.Conv2d(fc, o.Classes, 1, bias: true, name: "decoder.inst_branch.cls_score");
        var objectness = b.Conv2d(fc, 1, 1, bias: true, name: "decoder.inst_branch.objectness");
        var kernels = Conv(fc, o.KernelDim, 1, "decoder.inst_branch.mask_kernel", DataType.B);

        var mask = coord;
        for (int i = 0; i < o.Convs; i++) mask = Conv(mask, d, 3, $"decoder.mask_branch.mask_convs.{I(2 * i)}");
        var maskFeatures = Conv(mask, o.KernelDim, 1, "decoder.mask_branch.projection");
        var masks = b.ActMatMul(kernels, maskFeatures, transposeA: true, outHeight: features.Shape.H, outWidth: features.Shape.W, name: "decoder.masks");
        return new Heads(logits, objectness, masks);
    }

    /// <summary>
    /// PyTorch's nearest resize to oh x ow (source row floor(y h / oh)) from SPEC operations:
    /// upsampling by (oh, ow) puts source row floor(i / oh) at row i, and a stride-(h, w) 1x1
    /// max pool keeps rows y h. An integer factor is one UpsampleNearest.
    /// </summary>
    public static TensorInfo ResizeNearest(NetworkBuilder b, TensorInfo x, int oh, int ow, string name)
    {
        int h = x.Shape.H, w = x.Shape.W;
        if (oh % h == 0 && ow % w == 0) return b.UpsampleNearest(x, new Pair(oh / h, ow / w), name: name);
        var up = b.UpsampleNearest(x, new Pair(oh, ow), name: name + ".up");
        return b.MaxPool2d(up, 1, stride: new Pair(h, w), name: name);
    }
}
