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
    /// <param name="Widened">The model with Condensation-Net pooling by G (null: the model has no such option).</param>
    private sealed record Entry(ModelInfo Info, Func<Shape?, Graph> Build, Func<Shape?, int, Graph>? Widened = null);

    // Stable order: the default model first, then the test networks, then the published ones.
    private static readonly Entry[] Entries =
    [
        // The default: the binary-weight MSCAN + SparseInst instance segmentation network.
        new(new(MscanSparseInst.NameT, "MSCAN-T + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights"), s => MscanSparseInst.Build(MscanVariant.T, s),
            (s, g) => MscanSparseInst.Build(MscanVariant.T, s, xcp: g)),
        new(new(MscanSparseInst.NameS, "MSCAN-S + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights"), s => MscanSparseInst.Build(MscanVariant.S, s),
            (s, g) => MscanSparseInst.Build(MscanVariant.S, s, xcp: g)),
        new(new(MscanSparseInst.NameTXcp, "mscan-t-sparseinst with Condensation-Net pooling (decoder 3x3 convs 2x wide, pooled by 2 at write-back)"), s => MscanSparseInst.Build(MscanVariant.T, s, xcp: 2)),
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
        new(new(TinyYoloV2.Name, TinyYoloV2.Description), s => TinyYoloV2.Build(s), (s, g) => TinyYoloV2.Build(s, xcp: g)),
        new(new(TinyYoloV2Face.Name, "Tiny YOLOv2 face detector of Condensation-Net (1 class, 30x13x13 detections), 416x416, binary weights"), s => TinyYoloV2Face.Build(s), (s, g) => TinyYoloV2Face.Build(s, xcp: g)),
        new(new(TinyYoloV2Face.NameXcp, "tinyyolov2-face with Condensation-Net pooling (3x3 convs 2x wide, pooled by 2 at write-back)"), s => TinyYoloV2Face.Build(s, xcp: 2)),
        new(new(Mscan.NameT, "MSCAN-T backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights"), s => Mscan.Build(MscanVariant.T, s)),
        new(new(Mscan.NameS, "MSCAN-S backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights"), s => Mscan.Build(MscanVariant.S, s)),
    ];

    public static IReadOnlyList<ModelInfo> Models { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>
    /// Builds model <paramref name="name"/>, with Condensation-Net pooling by
    /// <paramref name="xcp"/> (2 or 4) where the model has that option. Throws
    /// <see cref="BnnHdlException"/> for an unknown name (listing the known ones), an input
    /// the model cannot take (saying which sizes it takes), or an xcp it cannot take.
    /// </summary>
    public static Graph Build(string name, Shape? input = null, int xcp = 1)
    {
        var entry = Entries.FirstOrDefault(e => e.Info.Name == name)
            ?? throw new BnnHdlException(
                $"unknown model '{name}'; known models: {string.Join(", ", Entries.Select(e => e.Info.Name))}");
        if (xcp == 1) return entry.Build(input);
        if (xcp is not (2 or 4)) throw new BnnHdlException($"--xcp must be 2 or 4 (Condensation-Net pooling groups), got {xcp}");
        if (entry.Widened is null)
            throw new BnnHdlException(
                $"model '{name}' has no Condensation-Net option; --xcp applies to {string.Join(", ", Entries.Where(e => e.Widened is not null).Select(e => e.Info.Name))}");
        return entry.Widened(input, xcp);
    }
}
