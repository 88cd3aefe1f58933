using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The acceptance network of engine v1: only what the engine runs (dense and grouped Conv2d,
/// Linear, fused MultiThreshold or raw accumulator output), small enough for RTL simulation
/// in seconds, and chosen to hit every case of the datapath: the U(8) image input, U(2) and
/// B activations, bipolar and unipolar weights, 3x3 / 1x1 / 4x4 kernels, strides 1 and 2,
/// a grouped conv whose group input ranges straddle an 8-lane word (12 channels in 3 groups),
/// B inputs padded with -1 and with +1, and a Linear classifier with bias writing its raw
/// accumulator.
/// </summary>
public static class DenseMixModel
{
    public const string Name = "dense-mix";
    public const string Description = "engine test network: dense/grouped conv and linear, U2/B activations, both weight modes, 3x16x16";

    /// <summary>Any channel count; H and W multiples of 4 and at least 16 (two stride-2 layers, then a 4x4 kernel).</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H >= 16 && s.W >= 16 && s.H % 4 == 0 && s.W % 4 == 0,
        $"C,H,W with H and W multiples of 4, at least 16 (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 16, 16);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        // U8 image -> U2, bipolar weights, full resolution.
        var stem = b.MultiThreshold(b.Conv2d(x, 16, 3, pad: 1, name: "stem.conv"), u2, name: "stem.act");
        // Stride 2 with unipolar weights, binarized: H/2 x W/2.
        var down = b.MultiThreshold(b.Conv2d(stem, 12, 3, stride: 2, pad: 1, weights: WeightType.Unipolar, name: "down.conv"),
            DataType.B, name: "down.act");
        // 3 groups of 4 channels on the B map, padded with -1: group 1 sits mid-word at S = 8.
        var group = b.MultiThreshold(b.Conv2d(down, 12, 3, pad: 1, groups: 3, padValue: -1, name: "group.conv"),
            DataType.B, name: "group.act");
        // B input padded with +1, unipolar weights, back to U2.
        var mix = b.MultiThreshold(b.Conv2d(group, 16, 3, pad: 1, padValue: 1, weights: WeightType.Unipolar, name: "mix.conv"),
            u2, name: "mix.act");
        // 1x1 stride 2 (H/4 x W/4), binarized.
        var reduce = b.MultiThreshold(b.Conv2d(mix, 24, 1, stride: 2, name: "reduce.conv"), DataType.B, name: "reduce.act");
        // 4x4 kernel over the H/4 x W/4 map (1x1 at the default size), with bias.
        var head = b.MultiThreshold(b.Conv2d(reduce, 32, 4, bias: true, name: "head.conv"), u2, name: "head.act");
        // Classifier: raw accumulator out.
        var logits = b.Linear(head, 10, bias: true, name: "fc");
        b.Output(logits);
        return b.Build();
    }
}
