using BnnHdl.Network;
using BnnHdl.Reports;

namespace BnnHdl.Tests.Reports;

public class NetworkSummaryTests
{
    private static readonly DataType U2 = DataType.U(2);

    private static LayerSummary Row(NetworkSummary s, string name) => s.Layers.Single(l => l.Name == name);

    [Fact]
    public void Counts_convolutions_per_group_and_output_position()
    {
        var b = new NetworkBuilder("convs");
        var x = b.Input(6, 5, 5, U2);
        // Uneven groups: outputs 0..2 read inputs 0..1, output 3 reads inputs 2..5.
        var uneven = b.Conv2d(x, 4, 3, pad: 1, name: "uneven",
            unevenGroups: [new GroupRange(0, 2, 0, 3), new GroupRange(2, 6, 3, 4)]);
        var strided = b.Conv2d(x, 3, 3, stride: 2, bias: true, name: "strided");        // 3 x 2 x 2
        var depthwise = b.DepthwiseConv2d(x, new Pair(1, 5), pad: Padding.Of(0, 2), name: "dw");
        b.Output(uneven, strided, depthwise);
        var s = NetworkSummary.Of(b.Build());

        Assert.Equal((3L * 2 + 1 * 4) * 9 * 25, Row(s, "uneven").Macs);
        Assert.Equal((3L * 2 + 1 * 4) * 9, Row(s, "uneven").Params);
        Assert.Equal(3L * 6 * 9 * 4, Row(s, "strided").Macs);
        Assert.Equal(3L * 6 * 9 + 3, Row(s, "strided").Params);
        Assert.Equal(6L * 5 * 25, Row(s, "dw").Macs);
        Assert.Equal(6L * 5, Row(s, "dw").Params);
    }

    [Fact]
    public void Counts_linear_per_position_and_matmul_as_n_k_m()
    {
        var c = new NetworkBuilder("dots");
        var i = c.Input(3, 2, 4, U2);                                                 // [3][8]
        var feats = c.MultiThreshold(c.Conv2d(i, 5, 1, name: "proj"), U2, name: "q"); // [5][8]
        var abT = c.ActMatMul(i, feats, transposeB: true, name: "a_bt");              // [3][8] x [8][5]
        var small = c.MultiThreshold(c.Conv2d(i, 3, new Pair(2, 3), name: "shrink"), U2, name: "q2"); // 3 x 1 x 2
        var atB = c.ActMatMul(i, small, transposeA: true, name: "at_b");              // [8][3] x [3][2]
        var perPosition = c.Linear(i, 5, bias: true, name: "fc");                     // 3 -> 5 at 8 positions
        c.Output(abT, atB, perPosition);
        var s = NetworkSummary.Of(c.Build());

        Assert.Equal(3L * 8 * 5, Row(s, "a_bt").Macs);
        Assert.Equal(8L * 3 * 2, Row(s, "at_b").Macs);
        Assert.Equal(0, Row(s, "a_bt").Params);
        Assert.Equal(3L * 5 * 8, Row(s, "fc").Macs);
        Assert.Equal(3L * 5 + 5, Row(s, "fc").Params);
        Assert.Equal(["input", "q"], Row(s, "a_bt").Inputs);
        Assert.Equal([new Shape(3, 2, 4), new Shape(5, 2, 4)], Row(s, "a_bt").InputShapes);
        Assert.Equal(new Shape(3, 1, 5), Row(s, "a_bt").OutputShape);
        Assert.True(Row(s, "a_bt").OutputType.IsSigned);
    }

    [Fact]
    public void Other_operations_cost_nothing_and_totals_add_up()
    {
        var b = new NetworkBuilder("misc");
        var x = b.Input(4, 8, 8, U2);
        var pooled = b.MaxPool2d(x, 2, name: "max");
        var sum = b.SumPool2d(x, 2, name: "sum");
        var avg = b.MultiThreshold(sum, U2, name: "avg");
        var added = b.Add(pooled, avg, shiftA: 1, name: "add");
        var up = b.UpsampleNearest(pooled, 2, name: "up");
        var cat = b.Concat([x, up], name: "cat");
        var coord = b.CoordChannels(cat, 2, name: "coord");
        var conv = b.Conv2d(coord, 2, 1, name: "conv");
        b.Output(added, conv);
        var s = NetworkSummary.Of(b.Build());

        Assert.All(s.Layers.Where(l => l.Name != "conv"), l => Assert.Equal((0L, 0L), (l.Macs, l.Params)));
        Assert.Equal(new SummaryTotals(9, 2L * 10 * 64, 2L * 10), s.Totals);
        Assert.Equal("misc", s.Network);
        Assert.Equal(new Shape(4, 8, 8), s.InputShape);
        Assert.Equal(["input", "max", "sum", "avg", "add", "up", "cat", "coord", "conv"], s.Layers.Select(l => l.Name));
    }
}
