using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The test network of cross-channel max pooling at write-back (Condensation-Net "virtual
/// feature maps"): convolutions whose thresholded outputs are pooled over groups of G = 2
/// and G = 4 adjacent channels, with U2 and B outputs, dense and grouped (the pooling
/// groups never straddle a convolution group), and further layers reading the pooled
/// tensors. Only the pooled channels are ever stored. Small enough for RTL simulation in
/// seconds.
/// </summary>
public static class XcpMixModel
{
    public const string Name = "xcp-mix";
    public const string Description = "engine test network: cross-channel max pooling (G=2, G=4) of U2/B conv outputs at write-back, 3x16x16";

    /// <summary>Any channel count; H and W multiples of 4 and at least 8 (two stride-2 layers).</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H >= 8 && s.W >= 8 && s.H % 4 == 0 && s.W % 4 == 0,
        $"C,H,W with H and W multiples of 4, at least 8 (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 16, 16);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        // U8 image -> 16 U2 channels, pooled in pairs: 8 x H x W.
        var stem = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(x, 16, 3, pad: 1, name: "stem.conv"), u2, name: "stem.act"), 2, name: "stem.pool");
        // Stride 2, unipolar weights, binarized, pooled in fours (max of B = OR): 4 x H/2 x W/2.
        var down = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(stem, 16, 3, stride: 2, pad: 1, weights: WeightType.Unipolar, name: "down.conv"),
                DataType.B, name: "down.act"), 4, name: "down.pool");
        // 2 groups of 8 outputs on the B map padded with +1, U2, pooled in fours: 4 x H/2 x W/2.
        var group = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(down, 16, 3, pad: 1, groups: 2, padValue: 1, name: "group.conv"), u2, name: "group.act"),
            4, name: "group.pool");
        // 1x1 stride 2 with bias, binarized, pooled in pairs: 12 x H/4 x W/4.
        var mix = b.CrossChannelMaxPool(
            b.MultiThreshold(b.Conv2d(group, 24, 1, stride: 2, bias: true, name: "mix.conv"), DataType.B, name: "mix.act"),
            2, name: "mix.pool");
        // B input padded with -1, not pooled: the engine's plain write-back after pooled layers.
        var head = b.MultiThreshold(b.Conv2d(mix, 8, 3, pad: 1, padValue: -1, weights: WeightType.Unipolar, name: "head.conv"),
            u2, name: "head.act");
        // Classifier per position: raw accumulator out.
        b.Output(b.Linear(head, 10, bias: true, name: "fc"));
        return b.Build();
    }
}
