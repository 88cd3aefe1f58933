using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// MobileNetV2, width 1.0 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear
/// Bottlenecks", CVPR 2018, Table 2), as a binary-weight network with the original layer
/// shapes, strides, groups and residuals. Stride-2 convolutions pad 1 on every side (the
/// PyTorch convention; TensorFlow's SAME pads only bottom/right, same counts).
/// At 224x224: 300,774,272 MACs, 3,470,760 weights and biases (BN not counted).
/// </summary>
public static class MobileNetV2
{
    public const string Name = "mobilenetv2";
    public const string Description = "MobileNetV2 1.0 (Sandler et al. 2018), 224x224, 1000 classes, binary weights";

    internal static ModelInput Input { get; } = ModelInput.RgbMultipleOf(Name, new Shape(3, 224, 224), 32);

    /// <summary>(expansion t, output channels c, repeats n, first stride s), paper Table 2.</summary>
    private static readonly (int T, int C, int N, int S)[] Bottlenecks =
    [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ];

    /// <summary>
    /// Builds the network. <paramref name="input"/>: 3 x H x W with H, W multiples of 32
    /// (the five stride-2 stages leave an H/32 x W/32 map). Activations are U(<paramref name="activationBits"/>).
    /// </summary>
    public static Graph Build(Shape? input = null, int activationBits = 2, int classes = 1000)
    {
        var shape = Input.Resolve(input);
        var act = DataType.U(activationBits);
        var b = new NetworkBuilder(Name);
        var x = b.Input(shape);

        // conv2d 3x3, 32, stride 2 + BN + ReLU6.
        x = BinaryBlocks.ConvAct(b, x, "stem.conv", 32, 3, act, stride: 2, pad: 1);

        // Blocks numbered 1..17 in network order (torchvision's features[1..17]).
        int index = 1;
        foreach (var (t, c, n, s) in Bottlenecks)
            for (int i = 0; i < n; i++)
                x = BinaryBlocks.InvertedResidual(b, x, "block" + (index++).ToString(CultureInfo.InvariantCulture),
                    t, c, i == 0 ? s : 1, act);

        // conv2d 1x1, 1280 + BN + ReLU6.
        x = BinaryBlocks.ConvAct(b, x, "head.conv", 1280, 1, act);

        // Global average pool = GlobalSumPool + MultiThreshold: the division by H*W is a
        // per-layer scale, absorbed into the thresholds (SPEC 3.6), so no divider is needed.
        var sum = b.GlobalSumPool(x, name: "pool");
        x = b.MultiThreshold(sum, act, name: "pool.avg");

        // The classifier (the paper's final 1x1 conv) has a bias and no BN: its raw
        // accumulator is the network output (logits; softmax is host-side, SPEC 4).
        var logits = b.Linear(x, classes, bias: true, name: "classifier");
        b.Output(logits);
        return b.Build();
    }
}
