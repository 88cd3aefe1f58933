using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// MobileFaceNet (Chen et al., "MobileFaceNets: Efficient CNNs for Accurate Real-Time Face
/// Verification on Mobile Devices", CCBR 2018, Table 1), as a binary-weight network with the
/// original structure: conv3x3 s2 64, depthwise 3x3 64, bottlenecks (t, c, n, s) =
/// (2,64,5,2) (4,128,1,2) (2,128,6,1) (4,128,1,2) (2,128,2,1), conv1x1 512, linear GDConv
/// 7x7 (global depthwise), linear conv1x1 128. PReLU, like every activation here, folds into
/// the MultiThreshold after its conv. At 112x112: 220,965,376 MACs, 976,000 weights
/// (BN and PReLU not counted).
/// </summary>
public static class MobileFaceNet
{
    public const string Name = "mobilefacenet";
    public const string Description = "MobileFaceNet (Chen et al. 2018), 112x112, 128-d embedding, binary weights";

    /// <summary>
    /// 112x112 only: the GDConv is a 7x7 kernel without padding that must cover the whole
    /// last feature map (the paper's design), and 112 is the size that leaves 7x7.
    /// </summary>
    internal static ModelInput Input { get; } = new(Name, new Shape(3, 112, 112),
        s => s == new Shape(3, 112, 112), "3,112,112 only (its 7x7 global depthwise conv needs a 7x7 last feature map)");

    private static readonly (int T, int C, int N, int S)[] Bottlenecks =
    [
        (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1),
    ];

    /// <summary>Builds the network; activations are U(<paramref name="activationBits"/>).</summary>
    public static Graph Build(Shape? input = null, int activationBits = 2)
    {
        var shape = Input.Resolve(input);
        var act = DataType.U(activationBits);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        x = BinaryBlocks.ConvAct(b, x, "stem.conv", 64, 3, act, stride: 2, pad: 1);
        x = BinaryBlocks.ConvAct(b, x, "stem.dw", 64, 3, act, pad: 1, groups: 64);

        int index = 1;
        foreach (var (t, c, n, s) in Bottlenecks)
            for (int i = 0; i < n; i++)
                x = BinaryBlocks.InvertedResidual(b, x, "block" + (index++).ToString(CultureInfo.InvariantCulture),
                    t, c, i == 0 ? s : 1, act);

        x = BinaryBlocks.ConvAct(b, x, "head.conv", 512, 1, act);

        // Linear GDConv: 7x7 depthwise without padding (512 -> 512 x 1 x 1) + linear BN.
        x = BinaryBlocks.ConvLinearBn(b, x, "gdconv", 512, 7, act, groups: 512);

        // Linear conv1x1 512 -> 128 on the 1x1 map: a Linear layer (SPEC 3.2). Its BN is
        // linear and is the last operation, so it stays with the host (a per-channel affine
        // map of the raw accumulator, SPEC 4) rather than requantizing the embedding to k bits.
        var embedding = b.Linear(x, 128, name: "embed");
        b.Output(embedding);
        return b.Build();
    }
}
