using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The test network of the engine's lane mode (docs/engine.md "Engine v2 modes"): depthwise
/// and strip convolutions (B and U1 weights, U2 and B inputs, padding with 0 / -1 / +1, stride,
/// dilation), a residual Add and a gate riding on a depthwise write-back, a standalone
/// threshold of a raw I(w) map, a standalone Add and a standalone B-gated Mul (copy passes),
/// max pooling of U2 and B maps, sum pooling with a fused threshold, global and adaptive
/// sum pooling (one program word per bin) and nearest upsampling of U2, B and I(w) maps (one
/// program word per output phase). Small enough for RTL simulation in seconds.
/// </summary>
public static class LaneMixModel
{
    public const string Name = "lane-mix";
    public const string Description = "engine test network: depthwise/strip convs, pools, upsampling, gates, standalone elementwise ops, 3x12x12";

    /// <summary>Even sizes (one stride-2 layer, then pools of 2) of at least 4.</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H >= 4 && s.W >= 4 && s.H % 2 == 0 && s.W % 2 == 0,
        $"C,H,W with H and W even and at least 4 (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 12, 12);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);
        var stem = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "stem.conv"), u2, name: "stem.act");

        // Depthwise 3x3 with a residual (the block input, shifted by 1) added at write-back.
        var dwa = b.MultiThreshold(b.Add(b.DepthwiseConv2d(stem, 3, pad: 1, name: "dw.a"), stem, 0, 1, name: "dw.a.add"), u2, name: "dw.a.act");
        // Strip pair: 1x7 with U1 weights to a B map, then 7x1 on B (dilation 2, padding -1).
        var h = b.MultiThreshold(b.DepthwiseConv2d(dwa, new Pair(1, 7), pad: new Padding(0, 3, 0, 3), weights: WeightType.Unipolar, name: "strip.h"), DataType.B, name: "strip.h.act");
        var v = b.MultiThreshold(b.DepthwiseConv2d(h, new Pair(7, 1), pad: new Padding(6, 0, 6, 0), dilation: new Pair(2, 1), padValue: -1, name: "strip.v"), u2, name: "strip.v.act");
        // Stride 2 on B with +1 padding, stored raw: an I(w) map.
        var raw = b.DepthwiseConv2d(h, 3, stride: 2, pad: 1, padValue: 1, name: "dw.raw");
        // Standalone threshold of the stored I(w) map (raw also feeds the Add below).
        var req = b.MultiThreshold(raw, u2, name: "req");
        var sum = b.Add(raw, b.MaxPool2d(v, 2, 2, name: "mp.u"), 1, 2, name: "add.s");
        // Gate riding on a depthwise write-back: U1 gate, gated accumulator thresholded.
        var gate1 = b.MultiThreshold(b.Conv2d(req, 8, 1, weights: WeightType.Unipolar, name: "g1.conv"), DataType.U(1), name: "g1");
        var gated = b.MultiThreshold(b.Mul(gate1, b.DepthwiseConv2d(req, 3, pad: 1, name: "dw.g"), name: "gated.a.mul"), u2, name: "gated.a");
        // Standalone B gate of a stored I(w) sum: a copy pass, stored raw.
        var gateB = b.MultiThreshold(b.Conv2d(gated, 8, 1, name: "gb.conv"), DataType.B, name: "gb");
        var gatedB = b.Mul(gateB, sum, name: "gated.b");
        // Pools: max of B, sum with a fused threshold (average pooling), global and adaptive sums.
        var mpb = b.MaxPool2d(gateB, 3, 1, 1, name: "mp.b");
        var avg = b.MultiThreshold(b.SumPool2d(gated, 3, 1, 1, name: "avg.sum"), u2, name: "avg");
        var gsum = b.GlobalSumPool(avg, name: "gsum");
        var ppm = b.MultiThreshold(b.AdaptiveSumPool(gated, 4, name: "ppm.sum"), u2, name: "ppm");
        var ppmB = b.AdaptiveSumPool(mpb, 2, name: "ppm.b");
        // Upsampling of U2, B and I(w) maps.
        var up = b.UpsampleNearest(ppm, new Pair(2, 3), name: "up");
        var upB = b.UpsampleNearest(gateB, 2, name: "up.b");
        var upI = b.UpsampleNearest(ppmB, 2, name: "up.i");
        b.Output(gatedB, gsum, up, upB, upI);
        return b.Build();
    }
}
