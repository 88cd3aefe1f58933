using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Quant;

/// <summary>
/// Fill (weights, biases, calibrated thresholds) on whole networks, run by the reference model:
/// the golden data must be informative, i.e. no thresholded layer constant and every level used.
/// </summary>
public class CalibrationTests
{
    /// <summary>U2, U4 and B MultiThresholds on feature maps, and U4 / U2 ones on 1x1 linear outputs.</summary>
    private static Graph Net()
    {
        var b = new NetworkBuilder("informative");
        var x = b.Input(3, 12, 12);
        var c1 = b.Conv2d(x, 8, 3, stride: 2, pad: 1, bias: true, name: "conv1");
        var q1 = b.MultiThreshold(c1, DataType.U(2), name: "q1");
        var dw = b.DepthwiseConv2d(q1, 3, pad: 1, name: "dw");
        var q2 = b.MultiThreshold(dw, DataType.U(4), name: "q2");
        var pw = b.Conv2d(q2, 12, 1, weights: WeightType.Unipolar, name: "pw");
        var q3 = b.MultiThreshold(pw, DataType.B, name: "q3");
        var pool = b.MaxPool2d(q3, 2, name: "pool");
        var sum = b.GlobalSumPool(pool, name: "gsum");
        var q4 = b.MultiThreshold(sum, DataType.U(2), name: "q4");
        var fc1 = b.Linear(q4, 24, bias: true, name: "fc1");
        var q5 = b.MultiThreshold(fc1, DataType.U(4), name: "q5");
        var fc2 = b.Linear(q5, 6, name: "fc2");
        var q6 = b.MultiThreshold(fc2, DataType.U(2), name: "q6");
        b.Output(q6, fc2);
        return b.Build();
    }

    private static IEnumerable<(Layer Layer, HashSet<long> Values)> ThresholdOutputs(Graph g, ReferenceRun run) =>
        g.Layers.Where(l => l.Op is MultiThresholdOp).Select(l => (l, run[l.Name].Values.ToHashSet()));

    [Fact]
    public void EveryLevelOfEveryMultiThresholdOccurs()
    {
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            var g = Net();
            var input = InputImages.Random(g.Input.Output, seed);
            var filled = RandomParameters.Fill(g, input, seed);
            Assert.Empty(filled.LayersMissingParameters());
            var run = ReferenceModel.Run(filled, input);
            foreach (var (layer, values) in ThresholdOutputs(filled, run))
            {
                var type = ((MultiThresholdOp)layer.Op).OutType;
                var levels = type.IsBipolar ? new long[] { -1, 1 } : Enumerable.Range(0, 1 << type.Bits).Select(v => (long)v).ToArray();
                Assert.True(levels.ToHashSet().SetEquals(values),
                    $"seed {seed}, layer {layer.Name} ({type}): levels {string.Join(",", values.Order())}");
            }
        }
    }

    [Fact]
    public void ChannelsWithEnoughDistinctInputsUseEveryLevelThemselves()
    {
        var g = Net();
        var input = InputImages.Random(g.Input.Output, 4);
        var filled = RandomParameters.Fill(g, input, 4);
        var run = ReferenceModel.Run(filled, input);
        int checkedChannels = 0;
        foreach (var (mt, source) in new[] { ("q1", "conv1"), ("q2", "dw"), ("q3", "pw") })
        {
            var type = ((MultiThresholdOp)filled[mt].Op).OutType;
            int levels = type.IsBipolar ? 2 : 1 << type.Bits;
            var (x, q) = (run[source], run[mt]);
            int positions = x.Shape.Positions;
            for (int c = 0; c < x.Shape.C; c++)
            {
                if (x.Values.Skip(c * positions).Take(positions).Distinct().Count() < levels) continue;
                checkedChannels++;
                int used = q.Values.Skip(c * positions).Take(positions).Distinct().Count();
                Assert.True(used == levels, $"{mt} channel {c} uses {used} of {levels} levels");
            }
        }
        Assert.True(checkedChannels >= 8 + 12, $"only {checkedChannels} channels had enough distinct inputs");
    }

    [Fact]
    public void FillIsDeterministicAndKeepsGivenThresholds()
    {
        var g = Net();
        var input = InputImages.Random(g.Input.Output, 1);
        var a = RandomParameters.Fill(g, input, 1);
        Assert.Equal(a, RandomParameters.Fill(g, input, 1));
        Assert.NotEqual(a["q1"].Params, RandomParameters.Fill(g, input, 2)["q1"].Params);

        // Thresholds given for q2 stay as they are, and everything upstream draws the same.
        var given = a["q2"].Params with { Thresholds = a["q2"].Params.Thresholds.Select(t => t + 1).ToEquatableArray() };
        var partial = RandomParameters.Fill(g.WithParams(new Dictionary<string, LayerParams> { ["q2"] = given }), input, 1);
        Assert.Equal(given, partial["q2"].Params);
        Assert.Equal(a["conv1"].Params, partial["conv1"].Params);
        Assert.Equal(a["q1"].Params, partial["q1"].Params);
    }

    [Fact]
    public void CalibrationChecksItsInputAndNeedsWeights()
    {
        var g = Net();
        var wrong = InputImages.Random(TensorInfo.Of("input", new Shape(3, 8, 8), DataType.U(8)), 1);
        Assert.Equal("the input tensor is 3x8x8 U8, but network 'informative' takes 3x12x12 U8",
            Assert.Throws<BnnHdlException>(() => RandomParameters.Fill(g, wrong, 1)).Message);
        var input = InputImages.Random(g.Input.Output, 1);
        Assert.Equal("layer 'conv1' (Conv2d) has no weights yet; fill weights before calibrating thresholds",
            Assert.Throws<BnnHdlException>(() => ThresholdCalibration.Calibrate(g, input, 1)).Message);
    }

    [Fact]
    public void ProgressHearsEachEvaluatedLayer()
    {
        var g = RandomParameters.FillWeights(Net(), 1);
        var heard = new List<string>();
        ThresholdCalibration.Calibrate(g, InputImages.Random(g.Input.Output, 1), 1, new SyncProgress(heard.Add));
        // Every layer up to the last one calibrated (q6, the last layer here) is evaluated or calibrated.
        Assert.Equal(g.Layers.Select(l => l.Name), heard);
    }

    /// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
