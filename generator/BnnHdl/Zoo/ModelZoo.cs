using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>A zoo model's name (as typed on the command line) and one-line description.</summary>
public sealed record ModelInfo(string Name, string Description);

/// <summary>
/// The models the generator ships: built by name, at their default input size or at an
/// override the model can take. Published networks are built at default activation bits
/// here; their own classes (e.g. <see cref="MobileNetV2.Build"/>) take more options.
/// </summary>
public static class ModelZoo
{
    private sealed record Entry(ModelInfo Info, Func<Shape?, Graph> Build);

    // Stable order: the default model first, then the test networks, then the published ones.
    private static readonly Entry[] Entries =
    [
        // The default: the binary-weight MSCAN + SparseInst instance segmentation network.
        new(new(MscanSparseInst.NameT, "MSCAN-T + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights"), s => MscanSparseInst.Build(MscanVariant.T, s)),
        new(new(MscanSparseInst.NameS, "MSCAN-S + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights"), s => MscanSparseInst.Build(MscanVariant.S, s)),
        new(new(TinyModel.Name, TinyModel.Description), s => TinyModel.Build(s)),
        new(new(DenseMixModel.Name, DenseMixModel.Description), s => DenseMixModel.Build(s)),
        new(new(XcpMixModel.Name, XcpMixModel.Description), s => XcpMixModel.Build(s)),
        new(new(ResMixModel.Name, ResMixModel.Description), s => ResMixModel.Build(s)),
        new(new(LaneMixModel.Name, LaneMixModel.Description), s => LaneMixModel.Build(s)),
        new(new(ViewMixModel.Name, ViewMixModel.Description), s => ViewMixModel.Build(s)),
        new(new(MatMulMixModel.Name, MatMulMixModel.Description), s => MatMulMixModel.Build(s)),
        new(new(AllOpsModel.Name, AllOpsModel.Description), s => AllOpsModel.Build(s)),
        new(new(MobileNetV2.Name, MobileNetV2.Description), s => MobileNetV2.Build(s)),
        new(new(MobileFaceNet.Name, MobileFaceNet.Description), s => MobileFaceNet.Build(s)),
        new(new(TinyYoloV2.Name, TinyYoloV2.Description), s => TinyYoloV2.Build(s)),
        new(new(Mscan.NameT, "MSCAN-T backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights"), s => Mscan.Build(MscanVariant.T, s)),
        new(new(Mscan.NameS, "MSCAN-S backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights"), s => Mscan.Build(MscanVariant.S, s)),
    ];

    public static IReadOnlyList<ModelInfo> Models { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>
    /// Builds model <paramref name="name"/>. Throws <see cref="BnnHdlException"/> for an
    /// unknown name (listing the known ones) or an input the model cannot take (saying which
    /// sizes it takes).
    /// </summary>
    public static Graph Build(string name, Shape? input = null)
    {
        var entry = Entries.FirstOrDefault(e => e.Info.Name == name)
            ?? throw new BnnHdlException(
                $"unknown model '{name}'; known models: {string.Join(", ", Entries.Select(e => e.Info.Name))}");
        return entry.Build(input);
    }
}
