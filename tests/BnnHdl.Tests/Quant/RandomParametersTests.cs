using BnnHdl.Network;
using BnnHdl.Quant;

namespace BnnHdl.Tests.Quant;

public class RandomParametersTests
{
    private static Graph Net(bool extraLayer = false, LayerParams? conv2Params = null)
    {
        var b = new NetworkBuilder("net");
        var x = b.Input(3, 8, 8);
        var c1 = b.Conv2d(x, 6, 3, pad: 1, bias: true, name: "conv1");
        var q1 = b.MultiThreshold(c1, DataType.U(2), name: "q1");
        if (extraLayer) q1 = b.MaxPool2d(q1, 1, name: "extra");
        var c2 = b.Conv2d(q1, 4, 1, unevenGroups: [new(0, 2, 0, 1), new(2, 6, 1, 4)], weights: WeightType.Unipolar,
            bias: true, parameters: conv2Params, name: "conv2");
        var q2 = b.MultiThreshold(c2, DataType.B, name: "q2");
        var q3 = b.MultiThreshold(b.GlobalSumPool(q2, name: "gsum"), DataType.U(1), name: "q3");
        var fc = b.Linear(q3, 5, bias: true, name: "fc");
        b.Output(fc);
        return b.Build();
    }

    [Fact]
    public void FillsEveryWeightAndBiasWithValidValues()
    {
        var g = RandomParameters.FillWeights(Net(), 1);
        var conv1 = g["conv1"].Params;
        Assert.Equal(6 * 3 * 9, conv1.Weights.Count);
        Assert.Equal([-1, 1], conv1.Weights.Distinct().Order().Select(w => (int)w));
        Assert.Equal(6, conv1.Bias.Count);
        var conv2 = g["conv2"].Params;
        Assert.Equal(1 * 2 + 3 * 4, conv2.Weights.Count);
        Assert.Equal([0, 1], conv2.Weights.Distinct().Order().Select(w => (int)w));
        Assert.Equal(5 * 4, g["fc"].Params.Weights.Count);
        Assert.Equal(5, g["fc"].Params.Bias.Count);
        // Thresholds are the calibration's job.
        Assert.Empty(g["q1"].Params.Thresholds);
        Assert.Equal(["q1", "q2", "q3"], g.LayersMissingParameters().Select(l => l.Name));
        g.Validate();
    }

    [Fact]
    public void IsDeterministicPerSeedAndIndependentPerLayer()
    {
        var a = RandomParameters.FillWeights(Net(), 42);
        Assert.Equal(a, RandomParameters.FillWeights(Net(), 42));
        var other = RandomParameters.FillWeights(Net(), 43);
        Assert.NotEqual(a["conv1"].Params.Weights, other["conv1"].Params.Weights);
        Assert.NotEqual(a["fc"].Params.Weights, other["fc"].Params.Weights);

        // A layer added in the middle does not shift the draws of any other layer.
        var extended = RandomParameters.FillWeights(Net(extraLayer: true), 42);
        foreach (var name in new[] { "conv1", "conv2", "fc" })
            Assert.Equal(a[name].Params, extended[name].Params);
    }

    [Fact]
    public void LeavesGivenParametersAlone()
    {
        sbyte[] weights = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1];
        var partial = LayerParams.Conv(weights);
        var g = RandomParameters.FillWeights(Net(conv2Params: partial), 3);
        Assert.Equal(weights, g["conv2"].Params.Weights);
        Assert.Equal(4, g["conv2"].Params.Bias.Count);   // only the missing bias is drawn

        var full = LayerParams.Conv(weights, [1, -2, 3, 0]);
        var h = RandomParameters.FillWeights(Net(conv2Params: full), 3);
        Assert.Equal(full, h["conv2"].Params);
        Assert.Equal(g["conv1"].Params, h["conv1"].Params);
    }

    [Fact]
    public void BiasKeepsEveryOutputType()
    {
        var plain = Net();
        for (long seed = 1; seed <= 20; seed++)
        {
            var filled = RandomParameters.FillWeights(plain, seed);
            foreach (var layer in plain.Layers)
                Assert.Equal(layer.Output.Type, filled[layer.Name].Output.Type);
        }
    }

    [Fact]
    public void BiasIsModerateAndNeverLetsTheTypeShrink()
    {
        // Bounds [0, 16] need I6 only because of 16; an all-negative bias would fit I5.
        var unbiased = TensorInfo.Signed("fc", new Shape(1, 1, 1), 0, 16);
        Assert.Equal(DataType.I(6), unbiased.Type);
        var seen = new HashSet<int>();
        for (long seed = 1; seed <= 200; seed++)
        {
            int b = Assert.Single(RandomParameters.DrawBias(unbiased, 1, seed, "fc"));
            Assert.InRange(b, 0, 2);   // moderate: |b| <= 16 / 8; negative would shrink the type
            seen.Add(b);
        }
        Assert.Equal([0, 1, 2], seen.Order());

        // Wide symmetric bounds: biases spread over +-(Max - Min) / 8, limited by the type's headroom.
        var acc = TensorInfo.Signed("conv", new Shape(64, 1, 1), -100, 100);   // I8: [-128, 127]
        var biases = RandomParameters.DrawBias(acc, 64, 9, "conv");
        Assert.All(biases, b => Assert.InRange(b, -25, 25));
        Assert.True(biases.Min() < -15 && biases.Max() > 15);
        Assert.Equal(DataType.I(8), DataType.SignedFor(-100 + biases.Min(), 100 + biases.Max()));
    }
}
