using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// The vertical walk's pitched rows (docs/engine.md "Vertical walk") next to the readers that
/// assume contiguous positions: an act x act product reading a vertical strip's output, and a
/// residual Add reading it (res_row_step skips the pitch); and vertical strips with a fused
/// residual Add or gate, whose operand is read down its columns too.
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
            Assert.Equal(strip.OutRegion.RowWords, res.ResRowStep);
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

    /// <summary>
    /// MSCAN's attention sum and gate on vertical strips: residual Adds of B, U2 and I(w)
    /// operands (with shifts) and U(1) and B gates fused into 7x1, 3x1, 5x1 and 11x1
    /// depthwise layers, operands of other shapes' layers (a 5x5, a 1x7, 1x1s).
    /// </summary>
    internal static Graph Fused(int h, int w)
    {
        var u2 = DataType.U(2);
        var b = new NetworkBuilder("vertical-fused");
        var x = b.Input(8, h, w, u2);
        TensorInfo Dw(TensorInfo t, int kh, int kw, string name) =>
            b.DepthwiseConv2d(t, new Pair(kh, kw), pad: new Padding(kh / 2, kw / 2, kh / 2, kw / 2), name: name);
        var a = b.MultiThreshold(Dw(x, 5, 5, "dw5x5"), DataType.B, name: "a");
        var h7 = b.MultiThreshold(Dw(a, 1, 7, "s1x7"), DataType.B, name: "h7");
        var sum = b.Add(Dw(h7, 7, 1, "s7x1"), a, name: "sum");                   // B residual
        var q = b.MultiThreshold(sum, u2, name: "q");
        var sum2 = b.Add(Dw(q, 3, 1, "s3x1"), q, shiftA: 1, name: "sum2");       // U2 residual, shifted
        var sum3 = b.Add(Dw(a, 5, 1, "s5x1"), sum2, shiftB: 1, name: "sum3");   // I(w) residual
        var gu = b.MultiThreshold(b.Conv2d(x, 8, 1, name: "gu.conv"), DataType.U(1), name: "gu");
        var gb = b.MultiThreshold(b.Conv2d(x, 8, 1, name: "gb.conv"), DataType.B, name: "gb");
        var m1 = b.Mul(gu, Dw(q, 11, 1, "s11x1"), name: "m1");                   // U(1) gate: AND
        var m2 = b.Mul(gb, Dw(h7, 3, 1, "g3x1"), name: "m2");                    // B gate: negate
        b.Output(b.MultiThreshold(sum3, u2, name: "out3"), b.MultiThreshold(m1, DataType.B, name: "out1"), m2);
        return b.Build();
    }

    [Fact]
    public void Vertical_strips_with_a_fused_residual_or_gate_walk_columns_and_equal_the_reference()
    {
        var (g, input) = SeededNetwork.Prepare(Fused(9, 7), 4);
        foreach (var config in Configs)
        {
            var (program, _) = EngineCheck.AgainstReference(g, config, input, $"vertical-fused on {config}");
            var columns = program.Layers.Where(l => l.Descriptor.Vert == 1).Select(l => l.Source.Name).ToList();
            // A column of KH taps needs KH <= S lanes: the 11x1 walks rows on the 8-lane engine.
            Assert.Equal(config.S >= 11 ? ["s7x1", "s3x1", "s5x1", "s11x1", "g3x1"] : ["s7x1", "s3x1", "s5x1", "g3x1"], columns);
            foreach (var layer in program.Layers.Where(l => l.Descriptor.Vert == 1))
            {
                // The operand is read down its columns: positions a (pitched) row apart, the next column K words on.
                var operand = program.Memory.Region(layer.Source.Operand!.Name);
                Assert.Equal((operand.RowWords, operand.Planes), (layer.Descriptor.ResPixStep, layer.Descriptor.ResRowStep));
                Assert.True(VerticalWalk.Pitched(operand, config), $"{layer.Source.Name}'s operand rows are pitched");
            }
        }
    }
}
