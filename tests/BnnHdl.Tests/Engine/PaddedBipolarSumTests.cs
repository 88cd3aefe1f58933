using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Sum pooling of a B input with padding (SPEC 3.6: padded positions do not take part): the
/// engine sums the stored bits over the window and subtracts the number of inside taps
/// (inside_count), so a border window of n inside taps gives 2 * ones - n. Bit-exact in the
/// simulator on three shapes, with the borders' counts checked by hand.
/// </summary>
public sealed class PaddedBipolarSumTests
{
    internal static Graph Network()
    {
        var b = new NetworkBuilder("bsum");
        var x = b.Input(5, 5, 6, DataType.B);
        var s1 = b.SumPool2d(x, 3, 1, 1, name: "s1");
        var s2 = b.SumPool2d(x, new Pair(2, 3), new Pair(2, 1), new Padding(1, 2, 0, 1), name: "s2");
        // Thresholded at write-back, and a pooled map read by a conv.
        var q = b.MultiThreshold(s1, DataType.U(2), name: "s1.q");
        b.Output(s2, b.MultiThreshold(b.Conv2d(q, 4, 1, name: "c"), DataType.B, name: "c.q"), s1);
        return FillParameters(b.Build(), SeededRandom.For(11, "bsum"));
    }

    [Fact]
    public void Padded_taps_do_not_count_in_a_bipolar_sum()
    {
        var g = Network();
        var input = Tensor(SeededRandom.For(12, "bsum input"), g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in new[] { new EngineConfig(4, 8), new EngineConfig(3, 6), new EngineConfig(16, 32) })
            EngineCheck.AgainstReference(g, config, input, "bsum");
        var program = LoweringPipeline.Lower(g, new EngineConfig(4, 8));
        var s1 = program.Layers.Single(l => l.Source.Dot.Name == "s1").Descriptor;
        Assert.Equal((1, 1, 0, 1, 0), (s1.InsideCount, s1.Sc, s1.Sk, s1.Corr, s1.PadOne));

        // An all-ones input: a corner window of the 3x3 pool has 4 inside taps, so 4; an edge 6; inside 9.
        var ones = BnnHdl.Reference.TensorData.Create(g.Input.Output.Shape, DataType.B, Enumerable.Repeat(1L, (int)g.Input.Output.Shape.Size).ToArray());
        var run = EngineSimulator.Run(program, ones);
        Assert.Equal([4L, 6L, 6L, 6L, 6L, 4L], run["s1"].Values.Take(6));
        Assert.Equal(9L, run["s1"].Values[6 + 1]);
    }
}
