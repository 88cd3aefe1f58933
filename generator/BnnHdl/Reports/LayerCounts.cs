using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>
/// The work and the parameter count of one layer, the way papers count them: MACs are the
/// multiply-accumulates of the dot-product ops only (Conv2d, Linear, ActMatMul); pooling,
/// adds, thresholds and shape ops count none. Parameters are the weights plus the biases
/// (when the layer has one) of Conv2d and Linear; thresholds are not counted, as papers do
/// not count the batch norms they replace.
/// </summary>
public static class LayerCounts
{
    /// <summary>Multiply-accumulates of <paramref name="layer"/> given its input tensors.</summary>
    public static long Macs(Layer layer, IReadOnlyList<TensorInfo> inputs) => layer.Op switch
    {
        // Every output element sums its group's input channels x KH x KW products.
        Conv2dOp c => ConvWeights(c, inputs[0].Shape.C) * layer.Output.Shape.Positions,
        // In x out per position.
        LinearOp l => (long)inputs[0].Shape.C * l.OutFeatures * inputs[0].Shape.Positions,
        ActMatMulOp m => MatMulMacs(m, inputs[0].Shape, inputs[1].Shape),
        _ => 0,
    };

    /// <summary>Weights plus biases of a Conv2d or Linear layer; 0 for every other op.</summary>
    public static long Params(Layer layer, IReadOnlyList<TensorInfo> inputs) => layer.Op switch
    {
        Conv2dOp c => ConvWeights(c, inputs[0].Shape.C) + (c.HasBias ? c.OutChannels : 0),
        LinearOp l => (long)inputs[0].Shape.C * l.OutFeatures + (l.HasBias ? l.OutFeatures : 0),
        _ => 0,
    };

    /// <summary>OC x IC/group x KH x KW, summed over groups (uneven groups differ in IC).</summary>
    private static long ConvWeights(Conv2dOp c, int inChannels) =>
        c.Groups.Resolve(inChannels, c.OutChannels).Sum(g => (long)g.OutCount * g.InCount) * c.Kernel.Y * c.Kernel.X;

    /// <summary>N x K x M of the product of the matrix views (SPEC 3.3).</summary>
    private static long MatMulMacs(ActMatMulOp m, Shape a, Shape b)
    {
        var (n, k) = m.TransposeA ? (a.Positions, a.C) : (a.C, a.Positions);
        long cols = m.TransposeB ? b.C : b.Positions;
        return (long)n * k * cols;
    }
}
