using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>A zoo model's name (as typed on the command line) and one-line description.</summary>
public sealed record ModelInfo(string Name, string Description);

/// <summary>
/// The models the generator ships: built by name, at their default input size or at an
/// override the model can take. Published networks are built at default activation bits
/// here; their own classes (e.g. <see cref="MobileNetV2.Build"/>) take more options.
/// </summary>
/// <summary>
/// Options some zoo models take: Condensation-Net pooling by <paramref name="Xcp"/> (2 or 4;
/// 1 = none) and the SparseInst decoder's size (null = the model's default).
/// </summary>
public sealed record ModelOptions(int Xcp = 1, SparseInstOptions? Decoder = null)
{
    public static ModelOptions None { get; } = new();
}

public static class ModelZoo
{
    /// <param name="Widens">Whether the model takes Condensation-Net pooling (ModelOptions.Xcp).</param>
    /// <param name="HasDecoder">Whether the model has a SparseInst decoder to size (ModelOptions.Decoder).</param>
    private sealed record Entry(ModelInfo Info, Func<Shape?, ModelOptions, Graph> Build, bool Widens = false, bool HasDecoder = false);

    private static Entry Plain(string name, string description, Func<Shape?, Graph> build) => new(new(name, description), (s, _) => build(s));

    private static Entry SparseInstModel(string name, string description, MscanVariant v, int xcp = 1) =>
        new(new(name, description), (s, o) => MscanSparseInst.Build(v, s, o.Decoder, xcp: xcp == 1 ? o.Xcp : xcp), Widens: xcp == 1, HasDecoder: true);

    // Stable order: the default model first, then the test networks, then the published ones.
    private static readonly Entry[] Entries =
    [
        // The default: the binary-weight MSCAN + SparseInst instance segmentation network.
        SparseInstModel(MscanSparseInst.NameT, "MSCAN-T + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights", MscanVariant.T),
        SparseInstModel(MscanSparseInst.NameS, "MSCAN-S + SparseInst G-IAM (width 256, 100 instances, 1 class), 256x256, binary weights", MscanVariant.S),
        SparseInstModel(MscanSparseInst.NameTXcp, "mscan-t-sparseinst with Condensation-Net pooling (decoder 3x3 convs 2x wide, pooled by 2 at write-back)", MscanVariant.T, xcp: 2),
        Plain(TinyModel.Name, TinyModel.Description, s => TinyModel.Build(s)),
        Plain(DenseMixModel.Name, DenseMixModel.Description, s => DenseMixModel.Build(s)),
        Plain(XcpMixModel.Name, XcpMixModel.Description, s => XcpMixModel.Build(s)),
        Plain(ResMixModel.Name, ResMixModel.Description, s => ResMixModel.Build(s)),
        Plain(LaneMixModel.Name, LaneMixModel.Description, s => LaneMixModel.Build(s)),
        Plain(ViewMixModel.Name, ViewMixModel.Description, s => ViewMixModel.Build(s)),
        Plain(MatMulMixModel.Name, MatMulMixModel.Description, s => MatMulMixModel.Build(s)),
        Plain(AllOpsModel.Name, AllOpsModel.Description, s => AllOpsModel.Build(s)),
        Plain(MobileNetV2.Name, MobileNetV2.Description, s => MobileNetV2.Build(s)),
        Plain(MobileFaceNet.Name, MobileFaceNet.Description, s => MobileFaceNet.Build(s)),
        new(new(TinyYoloV2.Name, TinyYoloV2.Description), (s, o) => TinyYoloV2.Build(s, xcp: o.Xcp), Widens: true),
        new(new(TinyYoloV2Face.Name, "Tiny YOLOv2 face detector of Condensation-Net (1 class, 30x13x13 detections), 416x416, binary weights"),
            (s, o) => TinyYoloV2Face.Build(s, xcp: o.Xcp), Widens: true),
        Plain(TinyYoloV2Face.NameXcp, "tinyyolov2-face with Condensation-Net pooling (3x3 convs 2x wide, pooled by 2 at write-back)", s => TinyYoloV2Face.Build(s, xcp: 2)),
        Plain(Mscan.NameT, "MSCAN-T backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights", s => Mscan.Build(MscanVariant.T, s)),
        Plain(Mscan.NameS, "MSCAN-S backbone (SegNeXt, Guo et al. 2022), 256x256, stage outputs at strides 4-32, binary weights", s => Mscan.Build(MscanVariant.S, s)),
    ];

    public static IReadOnlyList<ModelInfo> Models { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>
    /// Builds model <paramref name="name"/> with <paramref name="options"/>. Throws
    /// <see cref="BnnHdlException"/> for an unknown name (listing the known ones), an input
    /// the model cannot take (saying which sizes it takes), or options it does not take.
    /// </summary>
    public static Graph Build(string name, Shape? input = null, ModelOptions? options = null)
    {
        var entry = Entries.FirstOrDefault(e => e.Info.Name == name)
            ?? throw new BnnHdlException(
                $"unknown model '{name}'; known models: {string.Join(", ", Entries.Select(e => e.Info.Name))}");
        var o = options ?? ModelOptions.None;
        if (o.Xcp != 1)
        {
            if (o.Xcp is not (2 or 4)) throw new BnnHdlException($"--xcp must be 2 or 4 (Condensation-Net pooling groups), got {o.Xcp}");
            if (!entry.Widens)
                throw new BnnHdlException(
                    $"model '{name}' has no Condensation-Net option; --xcp applies to {string.Join(", ", Entries.Where(e => e.Widens).Select(e => e.Info.Name))}");
        }
        if (o.Decoder is { } d)
        {
            if (!entry.HasDecoder)
                throw new BnnHdlException(
                    $"model '{name}' has no SparseInst decoder; --decoder-width, --instances and --classes apply to {string.Join(", ", Entries.Where(e => e.HasDecoder).Select(e => e.Info.Name))}");
            if (d.Width < 4 || d.Width % 4 != 0) throw new BnnHdlException($"--decoder-width must be a positive multiple of 4 (the PPM branches are width / 4 wide), got {d.Width}");
            if (d.Instances < 1) throw new BnnHdlException($"--instances must be at least 1, got {d.Instances}");
            if (d.Classes < 1) throw new BnnHdlException($"--classes must be at least 1, got {d.Classes}");
        }
        return entry.Build(input, o);
    }
}
