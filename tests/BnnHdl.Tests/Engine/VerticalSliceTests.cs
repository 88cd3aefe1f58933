using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

public sealed class VerticalSliceTests
{
    [Fact]
    public void Dense_conv_with_fused_threshold_matches_the_reference()
    {
        var r = SeededRandom.For(1, "slice");
        var b = new NetworkBuilder("slice");
        var x = b.Input(3, 6, 5);
        var y = b.MultiThreshold(b.Conv2d(x, 6, 3, pad: 1), DataType.U(2));
        b.Output(y);
        var g = FillParameters(b.Build(), r);
        EngineCheck.AgainstReference(g, new EngineConfig(4, 8), Tensor(r, g.Input.Output.Shape, g.Input.Output.Type), "slice");
    }
}
