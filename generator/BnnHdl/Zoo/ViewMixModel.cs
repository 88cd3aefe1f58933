using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The test network of Concat and CoordChannels as address generation (docs/engine.md
/// "Views"): producers (dense, depthwise, pooled at write-back) write straight into their
/// Concat's region at channel offsets that are not multiples of P or S; operands that cannot
/// (the network input, a tensor concatenated twice, a nested Concat, the coordinate
/// constants) are copied in; later layers read the views densely, in lane mode and as a
/// residual. Small enough for RTL simulation in seconds.
/// </summary>
public static class ViewMixModel
{
    public const string Name = "view-mix";
    public const string Description = "engine test network: Concat views and coordinate channels, 3x8x8";

    /// <summary>Even sizes (a 2x2 pool, upsampled back).</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H >= 2 && s.W >= 2 && s.H % 2 == 0 && s.W % 2 == 0,
        $"C,H,W with H and W even (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 8, 8);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);
        var a = b.MultiThreshold(b.Conv2d(x, 5, 3, pad: 1, name: "a.conv"), u2, name: "a");
        var c = b.MultiThreshold(b.Conv2d(a, 7, 1, name: "c.conv"), u2, name: "c");
        // Pooled at write-back straight into the view (channels 12..15 of cat1).
        var p = b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(c, 8, 1, name: "p.conv"), u2, name: "p.act"), 2, name: "p");
        // a at 0, c at 5 and p at 12 are written in place; a again at 16 is copied.
        var cat1 = b.Concat([a, c, p, a], name: "cat1");
        // Lane mode reading the view, dense reading it, a residual from it.
        var dw = b.MultiThreshold(b.DepthwiseConv2d(cat1, 3, pad: 1, name: "dw"), u2, name: "dw.act");
        var res = b.MultiThreshold(b.Add(b.Conv2d(dw, 21, 1, name: "res.conv"), cat1, 0, 1, name: "res.add"), u2, name: "res");
        // Coordinates appended to a U2 map, then a nested Concat (copied) with the input's binarization.
        var coord = b.CoordChannels(res, 2, name: "coord");
        var bin = b.MultiThreshold(b.Conv2d(x, 3, 1, name: "bin.conv"), u2, name: "bin");
        var cat2 = b.Concat([bin, coord], name: "cat2");
        var head = b.MultiThreshold(b.Conv2d(cat2, 6, 3, pad: 1, name: "head.conv"), DataType.B, name: "head");
        // B operands side by side, read by a dense conv.
        var tail = b.MultiThreshold(b.Conv2d(dw, 4, 1, name: "tail.conv"), DataType.B, name: "tail");
        var cat3 = b.Concat([head, tail], name: "cat3");
        // The input (copied) beside its pooled-and-upsampled self (an upsample writing in place).
        var blocky = b.UpsampleNearest(b.MaxPool2d(x, 2, 2, name: "cat4.max"), 2, name: "cat4.up");
        b.Output(b.Conv2d(cat3, 4, 1, name: "out"), b.Concat([x, blocky], name: "cat4"));
        return b.Build();
    }
}
