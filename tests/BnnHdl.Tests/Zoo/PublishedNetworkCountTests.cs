using BnnHdl.Network;
using BnnHdl.Reports;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>
/// The zoo's published networks against the figures their papers report. Each test asserts
/// the exact totals of our structure (literal numbers, recomputed by the independent
/// <see cref="PaperArithmetic"/>), then that they give the published figure at the published
/// precision, with the published number's source and any counting difference explained.
/// </summary>
public class PublishedNetworkCountTests
{
    private static SummaryTotals Totals(Graph g) => NetworkSummary.Of(g).Totals;

    [Fact]
    public void MobileNetV2_counts_match_the_paper()
    {
        var totals = Totals(MobileNetV2.Build());
        var paper = PaperArithmetic.MobileNetV2(224);

        Assert.Equal(300_774_272, totals.Macs);
        Assert.Equal(paper.Macs, totals.Macs);
        Assert.Equal(3_470_760, totals.Params);   // conv weights + the classifier's 1000 biases
        Assert.Equal(paper.Params, totals.Params);

        // Sandler et al. 2018, Table 4: "MobileNetV2 ... 3.4M params, 300M MAdds"; the
        // TensorFlow-slim / Keras checkpoint table (tf.keras.applications.mobilenet_v2):
        // mobilenet_v2_1.0_224 "300" MACs (M), "3.47" Parameters (M). Both truncate rather than
        // round: 300.77M -> "300", 3.4708M -> "3.4" (paper) and "3.47" (table). The same table's
        // other resolutions are checked below and truncate the same way.
        Assert.Equal(300, totals.Macs / 1_000_000);
        Assert.Equal(34, totals.Params / 100_000);
        Assert.Equal(347, totals.Params / 10_000);
        // Parameters exclude batch norm (17,056 channels x gamma, beta = 34,112 more, the
        // 3,504,872 torchvision reports): with them the paper would say 3.5M.
        Assert.Equal(17_056, paper.BatchNormChannels);
    }

    [Theory]
    // tf.keras.applications.mobilenet_v2 table, MACs (M) of mobilenet_v2_1.0_<size>.
    [InlineData(192, 221_316_608, 221)]
    [InlineData(160, 154_083_200, 154)]
    [InlineData(128, 99_074_048, 99)]
    [InlineData(96, 56_289_152, 56)]
    public void MobileNetV2_at_other_resolutions_matches_the_checkpoint_table(int side, long exactMacs, long publishedMillions)
    {
        var totals = Totals(MobileNetV2.Build(new Shape(3, side, side)));
        Assert.Equal(exactMacs, totals.Macs);
        Assert.Equal(PaperArithmetic.MobileNetV2(side).Macs, totals.Macs);
        Assert.Equal(publishedMillions, totals.Macs / 1_000_000);
        Assert.Equal(3_470_760, totals.Params);   // "3.47" at every resolution
    }

    [Fact]
    public void MobileFaceNet_counts_match_the_paper()
    {
        var totals = Totals(MobileFaceNet.Build());
        var paper = PaperArithmetic.MobileFaceNet();

        Assert.Equal(220_965_376, totals.Macs);
        Assert.Equal(paper.Macs, totals.Macs);
        Assert.Equal(976_000, totals.Params);     // conv weights only: no conv here has a bias
        Assert.Equal(paper.Params, totals.Params);

        // Chen et al. 2018 report MobileFaceNet at "0.99M" parameters and "221M" MAdds
        // (221M also quoted by SeesawFaceNets, arXiv 1908.09124). MAdds: 220.97M rounds to 221.
        Assert.Equal(221, (long)Math.Round(totals.Macs / 1e6));

        // Parameters: our 976,000 alone would be 0.98M. The published figure counts the
        // deployed network's per-channel parameters as well: one bias per batch-normed channel
        // once BN is folded into its conv (9,792) and one slope per PReLU channel (7,552):
        // 993,344, i.e. 0.99M. OpenVINO's model zoo lists the same network (insightface
        // MobileFaceNet, face-recognition-mobilefacenet-arcface) at "0.993" MParams.
        Assert.Equal(9_792, paper.BatchNormChannels);
        Assert.Equal(7_552, paper.ActivationChannels);
        long deployed = totals.Params + paper.BatchNormChannels + paper.ActivationChannels;
        Assert.Equal(993_344, deployed);
        Assert.Equal(99, (long)Math.Round(deployed / 1e4));
        Assert.Equal(98, (long)Math.Round(totals.Params / 1e4));
    }

    [Fact]
    public void TinyYoloV2_counts_match_darknet()
    {
        var totals = Totals(TinyYoloV2.Build());
        var paper = PaperArithmetic.TinyYoloV2();

        Assert.Equal(3_485_520_896, totals.Macs);
        Assert.Equal(paper.Macs, totals.Macs);
        Assert.Equal(15_855_661, totals.Params);  // conv weights + the detection conv's 125 biases
        Assert.Equal(paper.Params, totals.Params);

        // darknet prints 2 x MACs per conv ("%5.3f BFLOPs") and their sum: 6.97 for
        // yolov2-tiny-voc.cfg at 416x416.
        Assert.Equal(697, (long)Math.Round(2.0 * totals.Macs / 1e7));

        // Weights: yolov2-tiny-voc.weights is 63,471,556 bytes (darkflow: "Successfully
        // identified 63471556 bytes"): a 16-byte header and float32 values, which per conv are
        // its biases, then for BN convs the scales, rolling means and rolling variances, then
        // its weights. So the file holds our parameters plus 4 values per batch-normed channel
        // (the BN shift, stored as the conv's "biases", and scale, mean, variance); the head has
        // no BN and stores its 125 real biases, which we count.
        Assert.Equal(3_056, paper.BatchNormChannels);
        long fileFloats = totals.Params + 4 * paper.BatchNormChannels;
        Assert.Equal(15_867_885, fileFloats);
        Assert.Equal(63_471_556, 16 + 4 * fileFloats);
    }

    [Fact]
    public void TinyYoloV2_per_layer_work_matches_darknet_log()
    {
        // darknet's per-layer BFLOPs for yolov2-tiny-voc.cfg at 416: 0.150, 0.399 (x5),
        // 1.595, 3.190, and 0.043 for the 125-filter head.
        var summary = NetworkSummary.Of(TinyYoloV2.Build());
        var bflops = summary.Layers.Where(l => l.Op == "Conv2d")
            .Select(l => Math.Round(2.0 * l.Macs / 1e9, 3)).ToArray();
        Assert.Equal([0.150, 0.399, 0.399, 0.399, 0.399, 0.399, 1.595, 3.190, 0.043], bflops);
    }
}
