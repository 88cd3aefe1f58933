using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// The vertical walk's pitched rows (docs/engine.md "Vertical walk") next to the readers that
/// assume contiguous positions: an act x act product reading a vertical strip's output, and a
/// residual Add reading it (res_tail_step skips the pitch).
/// </summary>
public sealed class VerticalWalkTests
{
    /// <summary>A 3x1 strip whose output a 1x1 reads and adds back (a residual of pitched rows), and optionally a product reads.</summary>
    internal static Graph Network(bool product)
    {
        var b = new NetworkBuilder("vertical");
        var x = b.Input(4, 6, 5, DataType.U(1));
        var v = b.MultiThreshold(b.DepthwiseConv2d(x, new Pair(3, 1), pad: new Padding(1, 0, 1, 0), name: "v3x1"), DataType.U(1), name: "v");
        var r = b.Add(b.Conv2d(v, 4, 1, name: "res.conv"), v, name: "res");
        if (!product)
        {
            b.Output(r);
            return b.Build();
        }
        var a = b.MultiThreshold(b.Conv2d(x, 3, 1, name: "a.conv"), DataType.U(1), name: "a");
        b.Output(b.ActMatMul(a, v, false, true, name: "mm"), r);
        return b.Build();
    }

    internal static readonly EngineConfig[] Configs = [new(4, 8, segments: 2, banks: 16), new(8, 32, segments: 4, banks: 32)];

    [Fact]
    public void A_residual_read_of_pitched_rows_equals_the_reference()
    {
        var (g, input) = SeededNetwork.Prepare(Network(product: false), 3);
        foreach (var config in Configs)
        {
            var (program, _) = EngineCheck.AgainstReference(g, config, input, $"vertical on {config}");
            var strip = program.Layers.Single(l => l.Source.Name == "v3x1");
            Assert.Equal(1, strip.Descriptor.Vert);
            // The residual walk skips each row's pitch padding after the row's last group.
            var res = program.Layers.Single(l => l.Source.Name == "res.conv").Descriptor;
            // Rows of 5 words (5 positions of one plane) pitched to the next 1 modulo the banks.
            Assert.Equal(config.Banks + 1, strip.OutRegion.RowWords);
            Assert.Equal(res.ResPixStep * (res.Ow - (res.Ow - 1) / res.Segments * res.Segments) + strip.OutRegion.RowWords - 5, res.ResTailStep);
        }
    }

    [Fact]
    public void A_strip_whose_output_a_product_broadcasts_walks_rows()
    {
        // The broadcast element's address is one step per position: its rows stay unpitched.
        var (g, input) = SeededNetwork.Prepare(Network(product: true), 3);
        foreach (var config in Configs)
        {
            var (program, _) = EngineCheck.AgainstReference(g, config, input, $"vertical on {config}");
            var strip = program.Layers.Single(l => l.Source.Name == "v3x1");
            Assert.Equal((0, 0), (strip.Descriptor.Vert, strip.OutRegion.Pitch));
        }
    }
}
