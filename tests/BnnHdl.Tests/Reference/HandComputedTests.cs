using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Reference;

/// <summary>Small cases whose expected numbers were worked out by hand from SPEC.md.</summary>
public sealed class HandComputedTests
{
    private static TensorData Tensor(int c, int h, int w, DataType type, params long[] values) =>
        TensorData.Create(new Shape(c, h, w), type, values);

    private static long[] RunOne(Graph g, TensorData input) => ReferenceModel.Run(g, input)[g.Outputs[0]].Values.ToArray();

    [Fact]
    public void Conv_3x3_on_a_U2_image_with_zero_padding()
    {
        var b = new NetworkBuilder("hand");
        var x = b.Input(1, 3, 3, DataType.U(2));
        b.Output(b.Conv2d(x, 1, 3, pad: 1, parameters: LayerParams.Conv([1, -1, 1, -1, 1, -1, 1, 1, -1])));
        var input = Tensor(1, 3, 3, DataType.U(2),
            1, 2, 3,
            0, 1, 2,
            3, 0, 1);
        // e.g. the centre: (1 - 2 + 3) + (-0 + 1 - 2) + (3 + 0 - 1) = 3; the top-left corner
        // sees only (1, 2 / 0, 1) under (+1, -1 / +1, -1): 1 - 2 + 0 - 1 = -2.
        Assert.Equal([-2, -3, 4, 3, 3, 1, 4, -3, 0], RunOne(b.Build(), input));
    }

    [Fact]
    public void Bipolar_dot_product_is_twice_the_XNOR_popcount_minus_K()
    {
        var b = new NetworkBuilder("xnor");
        var x = b.Input(8, 1, 1, DataType.B);
        // Row 0: v = 1 1 0 0 1 0 0 1; row 1: all -1 (v = 0).
        b.Output(b.Linear(x, 2, parameters: LayerParams.Conv([1, 1, -1, -1, 1, -1, -1, 1, -1, -1, -1, -1, -1, -1, -1, -1])));
        // u = 1 0 0 1 1 1 0 1. XNOR(u, row 0) = 1 0 1 0 1 0 1 1: pc 5, 2*5 - 8 = 2.
        // XNOR(u, 0) = the zeros of u: pc 3, 2*3 - 8 = -2.
        var input = Tensor(8, 1, 1, DataType.B, 1, -1, -1, 1, 1, 1, -1, 1);
        Assert.Equal([2, -2], RunOne(b.Build(), input));
    }

    [Theory]
    [InlineData(-1, new long[] { -1, -3, -3, -1 })]
    [InlineData(1, new long[] { 5, 3, 3, 5 })]
    public void Bipolar_input_padded_with_minus_or_plus_one(int padValue, long[] expected)
    {
        var b = new NetworkBuilder("bpad");
        var x = b.Input(1, 2, 2, DataType.B);
        // Unipolar weights on the corners and the centre of a 3x3 window.
        b.Output(b.Conv2d(x, 1, 3, pad: 1, weights: WeightType.Unipolar, padValue: padValue,
            parameters: LayerParams.Conv([1, 0, 1, 0, 1, 0, 1, 0, 1])));
        // Each window: its centre, one real corner and three padded corners,
        // e.g. top-left: +1 (centre) + +1 (corner (1,1)) + 3 * pad.
        var input = Tensor(1, 2, 2, DataType.B, 1, -1, 1, 1);
        Assert.Equal(expected, RunOne(b.Build(), input));
    }

    [Fact]
    public void Coordinate_channels_for_W_5_and_2_bits()
    {
        var b = new NetworkBuilder("coord");
        var x = b.Input(1, 2, 5, DataType.U(2));
        b.Output(b.CoordChannels(x, 2));
        var input = Tensor(1, 2, 5, DataType.U(2), 3, 2, 1, 0, 3, 0, 1, 2, 3, 0);
        // x: floor((6x + 4) / 8) = 0, 1, 2, 2, 3; y (H = 2): floor((6y + 1) / 2) = 0, 3.
        Assert.Equal([
            3, 2, 1, 0, 3, 0, 1, 2, 3, 0,
            0, 1, 2, 2, 3, 0, 1, 2, 2, 3,
            0, 0, 0, 0, 0, 3, 3, 3, 3, 3], RunOne(b.Build(), input));
    }

    [Fact]
    public void MultiThreshold_counts_passed_thresholds_per_channel_and_direction()
    {
        var b = new NetworkBuilder("thr");
        var x = b.Input(2, 1, 6, DataType.U(8));
        // Channel 0: s = +1, t = 2, 5, 5 (a repeated threshold counts twice).
        // Channel 1: s = -1, t = -5, -2, INT32_MAX (the third level is never reached).
        b.Output(b.MultiThreshold(x, DataType.U(2), LayerParams.Threshold([2, 5, 5, -5, -2, int.MaxValue], [1, -1])));
        var input = Tensor(2, 1, 6, DataType.U(8), 0, 1, 2, 5, 6, 255, 0, 1, 2, 5, 6, 255);
        Assert.Equal([0, 0, 1, 3, 3, 3, 2, 2, 2, 1, 0, 0], RunOne(b.Build(), input));
    }

    [Fact]
    public void ActMatMul_of_a_U2_matrix_with_its_transpose()
    {
        var b = new NetworkBuilder("gram");
        var a = b.Input(2, 1, 3, DataType.U(2));
        b.Output(b.ActMatMul(a, a, transposeB: true));
        // [1 2 3; 0 1 2] x its transpose = [14 8; 8 5].
        var input = Tensor(2, 1, 3, DataType.U(2), 1, 2, 3, 0, 1, 2);
        Assert.Equal([14, 8, 8, 5], RunOne(b.Build(), input));
    }
}
