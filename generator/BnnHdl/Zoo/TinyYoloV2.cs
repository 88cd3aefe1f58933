using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// Tiny YOLOv2 for VOC (darknet <c>cfg/yolov2-tiny-voc.cfg</c>, Redmon and Farhadi 2017) as a
/// binary-weight network: 3x3 convs of 16, 32, 64, 128, 256, 512 filters (pad 1, BN, leaky
/// ReLU) each followed by a 2x2 max pool; the first five pools have stride 2, the sixth
/// stride 1 (darknet pads it right and bottom so 13x13 stays 13x13; padded positions do not
/// take part in the max); then 3x3 1024, 3x3 1024, and the 1x1 detection conv of
/// 125 = 5 anchors x (20 classes + 5) filters with bias and linear activation. At 416x416:
/// 3,485,520,896 MACs (darknet: 6.97 BFLOPs = 2 x MACs), 15,855,661 weights and biases.
/// </summary>
public static class TinyYoloV2
{
    public const string Name = "tinyyolov2";
    public const string Description = "Tiny YOLOv2 VOC (darknet yolov2-tiny-voc.cfg), 416x416, 125x13x13 detections, binary weights";

    internal static ModelInput Input { get; } = ModelInput.RgbMultipleOf(Name, new Shape(3, 416, 416), 32);

    private static readonly int[] BackboneFilters = [16, 32, 64, 128, 256, 512];

    /// <summary>
    /// Builds the network. <paramref name="input"/>: 3 x H x W with H, W multiples of 32
    /// (output anchors x (classes + 5) x H/32 x W/32). Activations are U(<paramref name="activationBits"/>).
    /// <paramref name="xcp"/> = G > 1 widens the eight 3x3 convolutions G-fold and pools them
    /// back across channels (<see cref="BinaryBlocks.ConvActXcp"/>).
    /// </summary>
    public static Graph Build(Shape? input = null, int activationBits = 2, int classes = 20, int xcp = 1, string name = Name)
    {
        var shape = (name == Name ? Input : ModelInput.RgbMultipleOf(name, new Shape(3, 416, 416), 32)).Resolve(input);
        var act = DataType.U(activationBits);
        var b = new NetworkBuilder(name);
        var x = b.Input(shape);

        for (int i = 0; i < BackboneFilters.Length; i++)
        {
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            // [convolutional] batch_normalize=1 size=3 stride=1 pad=1 activation=leaky:
            // no bias (BN's shift takes its place), BN + leaky ReLU -> MultiThreshold.
            x = BinaryBlocks.ConvActXcp(b, x, "conv" + n, BackboneFilters[i], 3, act, xcp, pad: 1);
            x = i < BackboneFilters.Length - 1
                ? b.MaxPool2d(x, 2, stride: 2, name: "pool" + n)
                : b.MaxPool2d(x, 2, stride: 1, pad: new Padding(0, 0, 1, 1), name: "pool" + n);
        }
        x = BinaryBlocks.ConvActXcp(b, x, "conv7", 1024, 3, act, xcp, pad: 1);
        x = BinaryBlocks.ConvActXcp(b, x, "conv8", 1024, 3, act, xcp, pad: 1);

        // [convolutional] size=1 filters=anchors x (classes + 5) activation=linear, no BN: it
        // has a bias, and its raw accumulator is the output ([region] decoding is host-side, SPEC 4).
        var detections = b.Conv2d(x, Anchors * (classes + 5), 1, bias: true, name: "conv9");
        b.Output(detections);
        return b.Build();
    }

    /// <summary>Anchor boxes per cell ([region] num=5).</summary>
    public const int Anchors = 5;
}

/// <summary>
/// The Tiny-YOLOv2 face detector of the Condensation-Net paper (Chen et al., arXiv
/// 2104.14124): Tiny YOLOv2 with one class (5 anchors x 6 = 30 detection filters), and its
/// Condensation-Net form with cross-channel pooling by 2 after each 3x3 convolution (the
/// paper compares the two on face detection; which layers it widens is not stated in the
/// reachable text, so every 3x3 of the backbone is).
/// </summary>
public static class TinyYoloV2Face
{
    public const string Name = "tinyyolov2-face", NameXcp = "tinyyolov2-face-xcp";

    public static Graph Build(Shape? input = null, int xcp = 1) =>
        TinyYoloV2.Build(input, classes: 1, xcp: xcp, name: xcp == 1 ? Name : NameXcp);
}
