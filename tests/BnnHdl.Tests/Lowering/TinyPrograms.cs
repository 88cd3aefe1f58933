using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Lowering;

/// <summary>Small networks with seeded parameters for the lowering tests.</summary>
internal static class TinyPrograms
{
    /// <summary>
    /// Two layers: a 3x3 conv on 10 U2 channels (two 8-lane blocks) with bias, thresholded to
    /// B, then a unipolar Linear writing its raw accumulator.
    /// </summary>
    public static Graph TwoLayers()
    {
        var r = SeededRandom.For(3, "two layers");
        var b = new NetworkBuilder("two");
        var x = b.Input(10, 3, 3, DataType.U(2));
        var a = b.MultiThreshold(b.Conv2d(x, 6, 3, pad: 1, bias: true, name: "conv"), DataType.B, name: "act");
        b.Output(b.Linear(a, 5, WeightType.Unipolar, name: "fc"));
        return FillParameters(b.Build(), r);
    }
}
