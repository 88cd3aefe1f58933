using System.Globalization;

namespace BnnHdl.Engine;

/// <summary>Datapath units a program needs; the RTL may leave out the ones it does not.</summary>
[Flags]
public enum EngineUnits
{
    None = 0,
    /// <summary>Fused MultiThreshold compare at write-back.</summary>
    Thresholds = 1,
    /// <summary>Raw accumulator write-back.</summary>
    RawOutput = 2,
    /// <summary>The shared activation-sum correction (bipolar weights).</summary>
    Correction = 4,
    /// <summary>A B input padded with +1 (pad word of ones).</summary>
    PadOne = 8,
    /// <summary>Cross-channel max pooling of adjacent PEs at write-back.</summary>
    CrossChannelPool = 16,
    /// <summary>A residual Add: a stored tensor read and added to the accumulator at write-back.</summary>
    ResidualAdd = 32,
    /// <summary>Lane mode: one lane per PE, per-PE correction (depthwise, pools, copies, products).</summary>
    LaneMode = 64,
    /// <summary>Act x act products: a broadcast element per tap and its shared sum.</summary>
    Broadcast = 128,
}

/// <summary>
/// What the lowering derives for one network on one <see cref="EngineConfig"/>
/// (docs/engine.md "Parameters"): datapath widths, memory depths and word widths, the
/// largest loop bounds, the values per PE in a threshold-memory word (the bias and every
/// threshold, docs/engine.md "Threshold memory TM"), the units used, and the most segments a
/// beat computes with the feature-memory words an access must cover for them (docs/engine.md
/// "Segments") and the most PE groups (docs/engine.md "PE groups"). The emitter prints
/// these as parameters.
/// </summary>
public sealed record EngineDimensions(
    int AccumulatorBits, int ThresholdBits,
    int FmWords, int WmWords, int TmWords, int TileWords, int ProgramWords,
    int FmWordBits, int WmWordBits, int TmWordBits, int TileWordBits, int ProgramWordBits,
    int MaxThresholds, int MaxInPlanes, int MaxOutPlanes, int ThresholdSlots, EngineUnits Units,
    int Segments = 1, int Banks = 1, int PeGroups = 1)
{
    public string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"AW={AccumulatorBits} TW={ThresholdBits} FM={FmWords}x{FmWordBits} WM={WmWords}x{WmWordBits} TM={TmWords}x{TmWordBits} TT={TileWords}x{TileWordBits} PM={ProgramWords}x{ProgramWordBits} max_thresholds={MaxThresholds} max_in_planes={MaxInPlanes} max_out_planes={MaxOutPlanes} units={Units}{(Segments > 1 ? $" segments={Segments} banks={Banks}" : "")}{(PeGroups > 1 ? $" pe_groups={PeGroups}" : "")}");
}
