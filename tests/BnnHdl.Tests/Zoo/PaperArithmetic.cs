namespace BnnHdl.Tests.Zoo;

/// <summary>
/// Independent hand arithmetic for the published networks, straight from the papers'
/// layer tables: no graph, no code under test. A convolution producing an S x S map with
/// Cout channels from Cin/groups input channels and a K x K kernel does
/// Cout * (Cin/groups) * K * K * S * S multiply-accumulates and has Cout * (Cin/groups) * K * K
/// weights (+ Cout biases when it has a bias). Also tallies the channels that carry a batch
/// norm and those that carry a parametric activation, to explain published parameter counts
/// that include them.
/// </summary>
internal sealed class PaperArithmetic
{
    public long Macs { get; private set; }
    public long Params { get; private set; }
    public long BatchNormChannels { get; private set; }
    public long ActivationChannels { get; private set; }

    public void Conv(int side, int cin, int cout, int kernel, int groups = 1, bool bias = false,
        bool batchNorm = true, bool activation = true)
    {
        long weights = (long)cout * (cin / groups) * kernel * kernel;
        Macs += weights * side * side;
        Params += weights + (bias ? cout : 0);
        if (batchNorm) BatchNormChannels += cout;
        if (activation) ActivationChannels += cout;
    }

    /// <summary>
    /// Inverted-residual stages (t, c, n, s) on a square map of <paramref name="side"/> with
    /// <paramref name="channels"/> channels: per block an expansion 1x1 (omitted when t = 1),
    /// a depthwise 3x3 at the block's stride, and a linear 1x1 projection (BN, no activation).
    /// Returns the final side and channels.
    /// </summary>
    public (int Side, int Channels) Bottlenecks(int side, int channels, (int T, int C, int N, int S)[] table)
    {
        foreach (var (t, c, n, s) in table)
            for (int i = 0; i < n; i++)
            {
                int hidden = channels * t;
                if (t != 1) Conv(side, channels, hidden, 1);
                side /= i == 0 ? s : 1;
                Conv(side, hidden, hidden, 3, groups: hidden);
                Conv(side, hidden, c, 1, activation: false);
                channels = c;
            }
        return (side, channels);
    }

    /// <summary>MobileNetV2 1.0 (Sandler et al. 2018, Table 2) at a square input side.</summary>
    public static PaperArithmetic MobileNetV2(int inputSide)
    {
        var a = new PaperArithmetic();
        int side = inputSide / 2;
        a.Conv(side, 3, 32, 3);
        (side, int channels) = a.Bottlenecks(side, 32,
            [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]);
        a.Conv(side, channels, 1280, 1);
        a.Conv(1, 1280, 1000, 1, bias: true, batchNorm: false, activation: false);
        return a;
    }

    /// <summary>MobileFaceNet (Chen et al. 2018, Table 1) at 112 x 112.</summary>
    public static PaperArithmetic MobileFaceNet()
    {
        var a = new PaperArithmetic();
        a.Conv(56, 3, 64, 3);
        a.Conv(56, 64, 64, 3, groups: 64);
        var (side, channels) = a.Bottlenecks(56, 64,
            [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]);
        a.Conv(side, channels, 512, 1);
        a.Conv(1, 512, 512, 7, groups: 512, activation: false);   // linear GDConv 7x7
        a.Conv(1, 512, 128, 1, activation: false);                // linear conv1x1 128
        return a;
    }

    /// <summary>Tiny YOLOv2 VOC (darknet yolov2-tiny-voc.cfg) at 416 x 416.</summary>
    public static PaperArithmetic TinyYoloV2()
    {
        var a = new PaperArithmetic();
        int[] filters = [16, 32, 64, 128, 256, 512];
        int[] sides = [416, 208, 104, 52, 26, 13];
        int cin = 3;
        for (int i = 0; i < filters.Length; i++)
        {
            a.Conv(sides[i], cin, filters[i], 3);
            cin = filters[i];
        }
        a.Conv(13, 512, 1024, 3);
        a.Conv(13, 1024, 1024, 3);
        a.Conv(13, 1024, 125, 1, bias: true, batchNorm: false, activation: false);
        return a;
    }
}
