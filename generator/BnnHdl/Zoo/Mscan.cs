using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The MSCAN backbone of SegNeXt (<see cref="MscanFloatStructure"/> lists the float network it
/// maps) as a binary-weight network of SPEC operations. Layer names are the official module
/// names, so a weight import finds each float tensor's layer by name. How each float
/// operation maps:
/// <list type="bullet">
/// <item>Conv + bias + BN (+ GELU): a Conv2d with sign weights and a MultiThreshold; the bias,
/// the BN and the activation fold into its thresholds (SPEC 5), so the binary conv has no
/// bias. GELU is monotone above its minimum and GELU(x) > 0 iff x > 0, so unsigned levels
/// above 0 threshold it exactly. Only conv3 keeps its bias: the gate multiplies conv3 + bias,
/// and a gated-off position is 0 whatever the bias.</item>
/// <item>A convolution without BN (the attention module's, the MLP's fc1): its bias and a
/// linear quantizer become the thresholds.</item>
/// <item>The pre-norms <c>norm1</c> / <c>norm2</c> (BN before a binary conv, which cannot absorb
/// per-input-channel scales): a standalone MultiThreshold of the stream.</item>
/// <item>The attention sum <c>a + a0 + a1 + a2</c>: residual Adds fused into the 7x1, 11x1
/// and 21x1 strips' write-back, each partial sum requantized.</item>
/// <item>The gate <c>attn * u</c>: <c>u</c> = GELU(proj_1) quantized to U(1), so the product is
/// an AND at conv3's write-back.</item>
/// <item>Both residuals (<c>x + ls1 (proj_2 + norm1(x))</c>, <c>x + ls2 fc2</c>): Adds fused into
/// proj_2 and fc2. The layer scales and the inner shortcut's BN are per-channel factors
/// between the two operands: they fold into the per-channel step of the stream's quantizer
/// (the thresholds that produce the stream), so the codes add with shift 0.</item>
/// <item>The stage LayerNorms normalize across channels at each position, which no SPEC
/// operation computes; their affine part folds into a per-channel MultiThreshold of the stage
/// output (<c>norm{i}</c>), the cross-channel statistics are left out (the binary network
/// is trained with this structure, not converted).</item>
/// </list>
/// </summary>
public static class Mscan
{
    public const string NameT = "mscan-t", NameS = "mscan-s";

    internal static ModelInput InputOf(string model) => ModelInput.RgbMultipleOf(model, new Shape(3, 256, 256), 32);

    /// <summary>The backbone alone as a network: its four stage outputs (strides 4, 8, 16, 32).</summary>
    public static Graph Build(MscanVariant v, Shape? input = null, int bits = 2)
    {
        string name = v == MscanVariant.T ? NameT : v == MscanVariant.S ? NameS : $"mscan-{v.Name.ToLowerInvariant()}";
        var b = new NetworkBuilder(name);
        var x = b.Input(InputOf(name).Resolve(input));
        var s = Backbone(b, x, v, bits);
        b.Output(s.S1, s.S2, s.S3, s.S4);
        return b.Build();
    }

    /// <summary>The backbone's outputs, strides 4, 8, 16, 32 (stage i's <c>norm{i}</c>).</summary>
    public sealed record Stages(TensorInfo S1, TensorInfo S2, TensorInfo S3, TensorInfo S4);

    /// <summary>
    /// Adds the backbone on <paramref name="x"/> (3 x H x W, H and W multiples of 32) to
    /// <paramref name="b"/>, with U(<paramref name="bits"/>) activations.
    /// </summary>
    public static Stages Backbone(NetworkBuilder b, TensorInfo x, MscanVariant v, int bits = 2)
    {
        var act = DataType.U(bits);
        string I(int i) => i.ToString(CultureInfo.InvariantCulture);
        TensorInfo Threshold(TensorInfo t, string name, DataType? type = null) => b.MultiThreshold(t, type ?? act, name: name);

        // Stem: conv 3x3 s2 to C/2, BN, GELU; conv 3x3 s2 to C, BN (requantized: the stream).
        int c0 = v.Channels[0];
        var h = Threshold(b.Conv2d(x, c0 / 2, 3, stride: 2, pad: 1, name: "patch_embed1.proj.0"), "patch_embed1.proj.1");
        h = Threshold(b.Conv2d(h, c0, 3, stride: 2, pad: 1, name: "patch_embed1.proj.3"), "patch_embed1.proj.4");
        var outs = new TensorInfo[4];
        for (int s = 0; s < 4; s++)
        {
            int d = v.Channels[s];
            if (s > 0)
                h = Threshold(b.Conv2d(h, d, 3, stride: 2, pad: 1, name: $"patch_embed{I(s + 1)}.proj"), $"patch_embed{I(s + 1)}.norm");
            for (int j = 0; j < v.Depths[s]; j++)
                h = Block(b, h, $"block{I(s + 1)}.{I(j)}", d * v.MlpRatios[s], act);
            outs[s] = Threshold(h, $"norm{I(s + 1)}");
        }
        return new Stages(outs[0], outs[1], outs[2], outs[3]);
    }

    /// <summary>One MSCAN block on the stream <paramref name="x"/>: attention half, then MLP half, each with its residual.</summary>
    private static TensorInfo Block(NetworkBuilder b, TensorInfo x, string name, int hidden, DataType act)
    {
        int d = x.Shape.C;
        TensorInfo Dw(TensorInfo t, int kh, int kw, string conv) =>
            b.DepthwiseConv2d(t, new Pair(kh, kw), pad: new Padding(kh / 2, kw / 2, kh / 2, kw / 2), name: conv);

        // Attention: norm1, proj_1 + GELU to the U(1) gate u, the attention module, proj_2.
        var y = b.MultiThreshold(x, act, name: name + ".norm1");
        var u = b.MultiThreshold(b.Conv2d(y, d, 1, name: name + ".attn.proj_1"), DataType.U(1), name: name + ".attn.activation");
        string sgu = name + ".attn.spatial_gating_unit";
        var a = b.MultiThreshold(Dw(u, 5, 5, sgu + ".conv0"), act, name: sgu + ".conv0.q");
        var sum = a;
        for (int k = 0; k < MscanVariant.StripKernels.Count; k++)
        {
            int kk = MscanVariant.StripKernels[k];
            string n = k.ToString(CultureInfo.InvariantCulture);
            var row = b.MultiThreshold(Dw(a, 1, kk, $"{sgu}.conv{n}_1"), act, name: $"{sgu}.conv{n}_1.q");
            // a + a0 + a1 + a2, one term per strip pair, added at the vertical strip's write-back.
            sum = b.MultiThreshold(b.Add(Dw(row, kk, 1, $"{sgu}.conv{n}_2"), sum, name: $"{sgu}.sum{n}"), act, name: $"{sgu}.sum{n}.q");
        }
        var gated = b.MultiThreshold(b.Mul(u, b.Conv2d(sum, d, 1, bias: true, name: sgu + ".conv3"), name: sgu + ".mul"), act, name: sgu + ".mul.q");
        x = b.MultiThreshold(b.Add(b.Conv2d(gated, d, 1, name: name + ".attn.proj_2"), x, name: name + ".add1"), act, name: name + ".add1.q");

        // MLP: norm2, fc1, depthwise 3x3 + GELU, fc2.
        var y2 = b.MultiThreshold(x, act, name: name + ".norm2");
        var f1 = b.MultiThreshold(b.Conv2d(y2, hidden, 1, name: name + ".mlp.fc1"), act, name: name + ".mlp.fc1.q");
        var f2 = b.MultiThreshold(Dw(f1, 3, 3, name + ".mlp.dwconv.dwconv"), act, name: name + ".mlp.act");
        return b.MultiThreshold(b.Add(b.Conv2d(f2, d, 1, name: name + ".mlp.fc2"), x, name: name + ".add2"), act, name: name + ".add2.q");
    }
}
