using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// How the published networks' building blocks map onto SPEC operations. A float network's
/// conv becomes a Conv2d with bipolar weights (sign of the float weight, SPEC 5); the
/// batch norm and activation after it become one MultiThreshold, because for an integer
/// accumulator "BN then a monotone activation then a k-bit quantizer" is a per-channel set
/// of 2^k - 1 thresholds (SPEC 5 gives the folding). Naming: a conv is <c>name</c>, its
/// BN + activation <c>name.act</c>, a BN without activation <c>name.bn</c>.
/// </summary>
internal static class BinaryBlocks
{
    /// <summary>
    /// Conv + BN + activation (ReLU, ReLU6, PReLU, leaky ReLU: all monotone, so exact as
    /// thresholds). No bias: the BN that follows absorbs it.
    /// </summary>
    public static TensorInfo ConvAct(NetworkBuilder b, TensorInfo x, string name, int outChannels, Pair kernel,
        DataType act, Pair? stride = null, Padding? pad = null, int groups = 1)
    {
        var acc = b.Conv2d(x, outChannels, kernel, stride, pad, groups: groups, name: name);
        return b.MultiThreshold(acc, act, name: name + ".act");
    }

    /// <summary>
    /// Conv + linear BN (no activation). The engine only moves quantized activations between
    /// layers, so the BN output is requantized too: its per-channel scale and shift fold into
    /// the thresholds exactly as with an activation (a linear BN is monotone per channel, and
    /// a negative scale becomes direction -1).
    /// </summary>
    public static TensorInfo ConvLinearBn(NetworkBuilder b, TensorInfo x, string name, int outChannels, Pair kernel,
        DataType act, Pair? stride = null, Padding? pad = null, int groups = 1)
    {
        var acc = b.Conv2d(x, outChannels, kernel, stride, pad, groups: groups, name: name);
        return b.MultiThreshold(acc, act, name: name + ".bn");
    }

    /// <summary>
    /// MobileNetV2's inverted residual (Sandler et al. 2018, Table 1), also MobileFaceNet's
    /// "bottleneck": 1x1 expansion by <paramref name="expansion"/> + BN + activation (left out
    /// when the expansion is 1, as in the paper's first block), 3x3 depthwise with the block's
    /// stride + BN + activation, 1x1 linear projection + linear BN. The residual joins when
    /// the stride is 1 and the channel count is kept.
    /// </summary>
    public static TensorInfo InvertedResidual(NetworkBuilder b, TensorInfo x, string name, int expansion,
        int outChannels, int stride, DataType act)
    {
        var h = x;
        if (expansion != 1)
            h = ConvAct(b, h, name + ".expand", x.Shape.C * expansion, 1, act);
        h = ConvAct(b, h, name + ".dw", h.Shape.C, 3, act, stride: stride, pad: 1, groups: h.Shape.C);
        h = ConvLinearBn(b, h, name + ".project", outChannels, 1, act);
        if (stride != 1 || x.Shape.C != outChannels) return h;

        // Residual: the sum of two U(k) codes is I(k+1); a MultiThreshold requantizes it (its
        // thresholds carry the common scale of the two operands, so no shift is needed here).
        var sum = b.Add(x, h, name: name + ".add");
        return b.MultiThreshold(sum, act, name: name + ".add.q");
    }

    /// <summary>
    /// Condensation-Net (Chen et al., arXiv 2104.14124): with <paramref name="xcp"/> = G > 1
    /// the conv computes G x <paramref name="outChannels"/> channels ("virtual feature maps"),
    /// thresholds them, and a CrossChannelMaxPool(G) keeps the maximum of each G consecutive
    /// channels at write-back, so only <paramref name="outChannels"/> are stored. G = 1 is
    /// <see cref="ConvAct"/>.
    /// </summary>
    public static TensorInfo ConvActXcp(NetworkBuilder b, TensorInfo x, string name, int outChannels, Pair kernel,
        DataType act, int xcp, Pair? stride = null, Padding? pad = null)
    {
        if (xcp == 1) return ConvAct(b, x, name, outChannels, kernel, act, stride, pad);
        var wide = ConvAct(b, x, name, outChannels * xcp, kernel, act, stride, pad);
        return b.CrossChannelMaxPool(wide, xcp, name: name + ".xcp");
    }
}
