using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The network the product exists for: an MSCAN backbone whose stages 2-4 (strides 8, 16,
/// 32) feed the SparseInst encoder and G-IAM decoder, after the binary-weight instance
/// segmentation networks of Chen et al. (CVPR 2024 workshops), which combine SegNeXt
/// backbones with the SparseInst decoder.
/// </summary>
public static class MscanSparseInst
{
    public const string NameT = "mscan-t-sparseinst", NameS = "mscan-s-sparseinst", NameTXcp = "mscan-t-sparseinst-xcp";

    internal static ModelInput InputOf(string model) => ModelInput.RgbMultipleOf(model, new Shape(3, 256, 256), 32);

    /// <summary>
    /// Builds the network; <paramref name="xcp"/> = G > 1 makes the decoder's 3x3
    /// convolutions Condensation-Net layers (<see cref="SparseInst.Decoder"/>), named "-xcp".
    /// </summary>
    public static Graph Build(MscanVariant v, Shape? input = null, SparseInstOptions? options = null, int bits = 2, int xcp = 1)
    {
        string name = (v == MscanVariant.T ? NameT : v == MscanVariant.S ? NameS : $"mscan-{v.Name.ToLowerInvariant()}-sparseinst")
            + (xcp > 1 ? "-xcp" : "");
        var b = new NetworkBuilder(name);
        var x = b.Input(InputOf(name).Resolve(input));
        var stages = Mscan.Backbone(b, x, v, bits);
        var heads = SparseInst.Decoder(b, stages.S2, stages.S3, stages.S4, options ?? new SparseInstOptions(), bits, xcp);
        b.Output(heads.Logits, heads.Objectness, heads.Masks);
        return b.Build();
    }
}
