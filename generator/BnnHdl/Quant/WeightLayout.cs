using BnnHdl.Network;

namespace BnnHdl.Quant;

/// <summary>
/// Where each output channel's weights live in a layer's flat weight array (LayerParams:
/// [OC][IC/group][KH][KW] flattened per output channel; with uneven groups each output
/// channel has its own group's input-channel count). Linear is the 1x1 case with one group.
/// </summary>
public sealed record WeightLayout(EquatableArray<int> InChannels, int KernelH, int KernelW)
{
    public int OutChannels => InChannels.Count;
    public int Taps => KernelH * KernelW;
    public int MaxInChannels => InChannels.Count == 0 ? 0 : InChannels.Max();

    /// <summary>True when output channels differ in input-channel count (uneven groups).</summary>
    public bool IsRagged => InChannels.Distinct().Count() > 1;

    public long Count => InChannels.Sum(ic => (long)ic * Taps);

    /// <summary>Index of the first weight of every output channel, plus the total at the end.</summary>
    public long[] Offsets()
    {
        var offsets = new long[OutChannels + 1];
        for (int o = 0; o < OutChannels; o++) offsets[o + 1] = offsets[o] + (long)InChannels[o] * Taps;
        return offsets;
    }

    /// <summary>The layout of a Conv2d or Linear layer reading <paramref name="input"/>; null for other ops.</summary>
    public static WeightLayout? Of(Layer layer, TensorInfo input) => layer.Op switch
    {
        Conv2dOp c => new WeightLayout(ConvInChannels(c, input.Shape.C), c.Kernel.Y, c.Kernel.X),
        LinearOp l => new WeightLayout(Enumerable.Repeat(input.Shape.C, l.OutFeatures).ToEquatableArray(), 1, 1),
        _ => null,
    };

    private static EquatableArray<int> ConvInChannels(Conv2dOp c, int inChannels)
    {
        var perOutput = new int[c.OutChannels];
        foreach (var g in c.Groups.Resolve(inChannels, c.OutChannels))
            for (int o = g.OutStart; o < g.OutEnd; o++) perOutput[o] = g.InCount;
        return EquatableArray<int>.TakeOwnership(perOutput);
    }
}
