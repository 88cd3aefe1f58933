using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The test network of activation x activation products (docs/engine.md "Activation x
/// activation products"), shaped like SparseInst's: instance features as the product of
/// feature maps with transposed instance activation maps (U2 x B and B x U2), a per-instance
/// head, and masks as the product of transposed kernels with the feature maps (B x U2 and
/// U2 x B, each A transposed by an identity product first). Small enough for RTL simulation.
/// </summary>
public static class MatMulMixModel
{
    public const string Name = "matmul-mix";
    public const string Description = "engine test network: act x act products (SparseInst-style), 3x8x8";

    /// <summary>Any size of at least 1 x 1.</summary>
    internal static ModelInput Input { get; } = new(Name, DefaultInput,
        s => s.C > 0 && s.H > 0 && s.W > 0,
        $"C,H,W (default {ModelInput.Spell(DefaultInput)})");

    private static Shape DefaultInput => new(3, 8, 8);

    public static Graph Build(Shape? input = null)
    {
        var shape = Input.Resolve(input);
        var u2 = DataType.U(2);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);
        var f = b.MultiThreshold(b.Conv2d(x, 8, 3, pad: 1, name: "f.conv"), u2, name: "f");
        var iam = b.MultiThreshold(b.Conv2d(f, 6, 3, pad: 1, name: "iam.conv"), DataType.B, name: "iam");
        // Instance features, D channels x N positions: features times the transposed maps.
        var inst = b.MultiThreshold(b.ActMatMul(f, iam, transposeB: true, name: "inst.mm"), u2, name: "inst");
        // The other way round: B rows, U2 broadcast, stored raw.
        var byInstance = b.ActMatMul(iam, f, transposeB: true, name: "iam.mm");
        // Per-instance heads (1x1 over D), kernels as B and as U2.
        var kernB = b.MultiThreshold(b.Conv2d(inst, 8, 1, name: "kern.b.conv"), DataType.B, name: "kern.b");
        var kernU = b.MultiThreshold(b.Conv2d(inst, 8, 1, name: "kern.u.conv"), u2, name: "kern.u");
        var fb = b.MultiThreshold(b.Conv2d(f, 8, 1, name: "fb.conv"), DataType.B, name: "fb");
        // Masks, N x H x W: transposed kernels times the feature maps.
        var mask = b.ActMatMul(kernB, f, transposeA: true, outHeight: shape.H, outWidth: shape.W, name: "mask");
        var maskB = b.ActMatMul(kernU, fb, transposeA: true, outHeight: shape.H, outWidth: shape.W, name: "mask.b");
        b.Output(byInstance, mask, maskB);
        return b.Build();
    }
}
