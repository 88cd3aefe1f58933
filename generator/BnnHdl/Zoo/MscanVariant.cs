namespace BnnHdl.Zoo;

/// <summary>
/// One MSCAN size (SegNeXt, Guo et al., NeurIPS 2022, Table 2; the official
/// <c>local_configs/segnext/*</c>): stage widths, blocks per stage and MLP ratios.
/// </summary>
public sealed record MscanVariant(string Name, int[] Channels, int[] Depths, int[] MlpRatios)
{
    /// <summary>MSCAN-T: 32/64/160/256 channels, 3/3/5/2 blocks, MLP ratios 8/8/4/4.</summary>
    public static MscanVariant T { get; } = new("T", [32, 64, 160, 256], [3, 3, 5, 2], [8, 8, 4, 4]);

    /// <summary>MSCAN-S: 64/128/320/512 channels, 2/2/4/2 blocks, MLP ratios 8/8/4/4.</summary>
    public static MscanVariant S { get; } = new("S", [64, 128, 320, 512], [2, 2, 4, 2], [8, 8, 4, 4]);

    /// <summary>The strip kernels of the attention module after its depthwise 5x5 (conv0_1/0_2, conv1_1/1_2, conv2_1/2_2).</summary>
    public static IReadOnlyList<int> StripKernels { get; } = [7, 11, 21];
}
