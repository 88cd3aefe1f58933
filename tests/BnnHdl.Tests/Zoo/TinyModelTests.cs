using BnnHdl.Network;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>The test network covers every operation and special case it promises.</summary>
public class TinyModelTests
{
    private static readonly Graph Tiny = TinyModel.Build().Validate();

    private static IEnumerable<(Layer Layer, TensorInfo[] Inputs)> WithInputs(Graph g) =>
        g.Layers.Select(l => (l, l.Inputs.Select(g.Tensor).ToArray()));

    private static IEnumerable<(Conv2dOp Op, TensorInfo Input)> Convs(Graph g) =>
        WithInputs(g).Where(x => x.Layer.Op is Conv2dOp).Select(x => ((Conv2dOp)x.Layer.Op, x.Inputs[0]));

    [Fact]
    public void Contains_every_operation()
    {
        Assert.Equal(
            new[]
            {
                "Input", "Conv2d", "Linear", "ActMatMul", "MultiThreshold", "Add", "Mul", "MaxPool2d", "SumPool2d",
                "GlobalSumPool", "AdaptiveSumPool", "CrossChannelMaxPool", "UpsampleNearest", "Concat", "CoordChannels",
            }.Order(),
            Tiny.Layers.Select(l => l.Op.OpName).Distinct().Order());
    }

    [Fact]
    public void Covers_the_convolution_variants()
    {
        var convs = Convs(Tiny).ToList();
        Assert.Contains(convs, c => c.Input.Type == DataType.U(8));
        Assert.Contains(convs, c => c.Op.Stride == new Pair(2, 2));
        Assert.Contains(convs, c => c.Op.Dilation == new Pair(2, 2));
        Assert.Contains(convs, c => c.Op.Groups.IsUneven && c.Op.Groups.Ranges.Select(r => r.InCount).Distinct().Count() > 1);
        Assert.Contains(convs, c => c.Op.Weights == WeightType.Unipolar);
        Assert.Contains(convs, c => c.Op.Weights == WeightType.Bipolar);
        Assert.Contains(convs, c => c.Op.Groups.Count == c.Input.Shape.C && c.Op.OutChannels == c.Input.Shape.C
                                    && c.Op.Kernel == new Pair(3, 3));
        Assert.Contains(convs, c => c.Op.Kernel == new Pair(1, 5));
        Assert.Contains(convs, c => c.Op.Kernel == new Pair(5, 1));
        Assert.Contains(convs, c => c.Input.Type.IsBipolar && c.Op.PadValue == -1 && !c.Op.Pad.IsNone);
        Assert.Contains(convs, c => c.Input.Type.IsBipolar && c.Op.PadValue == 1 && !c.Op.Pad.IsNone);
    }

    [Fact]
    public void Covers_gates_shifts_and_requantized_sums()
    {
        var all = WithInputs(Tiny).ToList();
        var gates = all.Where(x => x.Layer.Op is MulOp).Select(x => x.Inputs[0].Type).ToList();
        Assert.Contains(DataType.U(1), gates);
        Assert.Contains(DataType.B, gates);
        Assert.Contains(all, x => x.Layer.Op is AddOp a && (a.ShiftA > 0 || a.ShiftB > 0));
        // Sum pooling is an average: a MultiThreshold reads it.
        var sumPool = Tiny.Layers.Single(l => l.Op is Pool2dOp { IsMax: false });
        Assert.Contains(Tiny.Layers, l => l.Op is MultiThresholdOp && l.Inputs.Contains(sumPool.Name));
    }

    [Fact]
    public void Dot_products_read_only_quantized_activations_and_outputs_are_raw_accumulators()
    {
        foreach (var (layer, inputs) in WithInputs(Tiny).Where(x => x.Layer.Op is Conv2dOp or LinearOp or ActMatMulOp))
            Assert.All(inputs, t => Assert.True(t.Type.IsQuantized, $"{layer.Name} reads {t.Name} of type {t.Type}"));
        Assert.Equal(["inst.cls", "img.cls"], Tiny.Outputs);
        Assert.All(Tiny.Outputs, o => Assert.True(Tiny.Tensor(o).Type.IsSigned));
    }

    [Fact]
    public void Totals_by_hand()
    {
        // Per dot-product layer at 3x32x32 (16x16 after the strided conv): OC x IC/group x KH x KW
        // x positions; the uneven-group conv has groups 4->4 and 12->8; matmul N x K x M.
        long macs =
            8L * 3 * 9 * 32 * 32        // stem.conv
            + 16L * 8 * 9 * 256         // down.conv
            + 16L * 1 * 9 * 256         // dw.conv
            + 16L * 16 * 9 * 256        // dil.conv
            + (4L * 4 + 8 * 12) * 256   // group.conv
            + 2 * 12L * 1 * 5 * 256     // strip.h, strip.v
            + 2 * 16L * 12 * 9 * 256    // bin.conv_neg, bin.conv_pos
            + 16L * 26 * 9 * 256        // head.conv
            + 4L * 32 * 9 * 256         // iam.conv
            + 16L * 256 * 4             // inst.matmul
            + 16L * 5 * 4               // inst.cls, per instance
            + 16L * 10;                 // img.cls
        long parameters =
            8 * 27 + 16 * 72 + 16 * 9 + 16 * 144 + (16 + 96) + 2 * 12 * 5 + 2 * 16 * 108 + 16 * 234 + 4 * 288
            + (16 * 5 + 5) + (16 * 10 + 10);
        var totals = BnnHdl.Reports.NetworkSummary.Of(Tiny).Totals;
        Assert.Equal(3_357_152, macs);
        Assert.Equal(12_655, parameters);
        Assert.Equal((45, macs, parameters), (totals.Layers, totals.Macs, totals.Params));
    }
}
