using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The test network of residual Adds fused at write-back: every Add directly follows the
/// Conv2d / Linear producing one operand, and its other operand is a tensor already in
/// feature memory, of every kind the engine reads: a U2 block input (shifted so the scales
/// align), a B map, a raw I(w) accumulator of an earlier layer and the U8 network input.
/// Adds are thresholded (U2 and B, one pooled) or stored raw, in both operand orders.
/// Small enough for RTL simulation in seconds.
/// </summary>
public static class ResMixModel
{
    public const string Name = "res-mix";
    public const string Description = "engine test network: residual Adds of U2/B/I(w)/U8 tensors fused with conv/linear write-back, 3x16x16";

    /// <summary>Any shape: every layer keeps H x W (stride 1, same padding).</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H > 0 && s.W > 0,
        $"C,H,W (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 16, 16);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        var stem = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "stem.conv"), u2, name: "stem.act");
        // U2 residual, the block input shifted by 2 to the accumulator's scale.
        var b1 = b.MultiThreshold(
            b.Add(b.Conv2d(stem, 8, 3, pad: 1, name: "b1.conv"), stem, 0, 2, name: "b1.add"), u2, name: "b1.act");
        // B residual as the first operand (stored bit u is 2u - 1), shifted by 1; binarized.
        var bin = b.MultiThreshold(b.Conv2d(b1, 8, 1, weights: WeightType.Unipolar, name: "b2.bin.conv"), DataType.B, name: "b2.bin");
        var b2 = b.MultiThreshold(
            b.Add(bin, b.Conv2d(bin, 8, 3, pad: 1, padValue: -1, name: "b2.conv"), 1, 0, name: "b2.add"), DataType.B, name: "b2.act");
        // I(w) residual: the raw accumulator of a 1x1 skip conv; thresholded, then pooled in pairs.
        var skip = b.Conv2d(b2, 8, 1, bias: true, name: "b3.skip");
        var b3 = b.CrossChannelMaxPool(b.MultiThreshold(
            b.Add(b.Conv2d(b2, 8, 3, pad: 1, padValue: 1, name: "b3.conv"), skip, 0, 1, name: "b3.add"), u2, name: "b3.act"),
            2, name: "b3.pool");
        // Raw sums out: a Linear plus an earlier U2 block output, and a conv plus the U8 input.
        var head = b.Add(b.Linear(b3, 8, bias: true, name: "fc"), b1, 0, 3, name: "fc.add");
        var tail = b.Add(b.Conv2d(b3, shape.C, 1, name: "tail.conv"), x, 0, 0, name: "tail.add");
        b.Output(head, tail);
        return b.Build();
    }
}
