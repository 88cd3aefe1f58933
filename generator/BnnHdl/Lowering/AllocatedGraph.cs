using System.Globalization;
using System.Text;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Where one tensor lives in feature memory (docs/engine.md "Feature memory FM"): from
/// word <see cref="Base"/>, <c>H x W</c> positions of <see cref="ChannelBlocks"/> blocks of
/// <see cref="Planes"/> words each. <see cref="Born"/> is the step that writes it (0 = the
/// preloaded input, i = engine layer i - 1) and <see cref="Dies"/> the last step reading it
/// (<see cref="End"/> for network outputs, which must survive the run). A view (an operand of
/// a Concat) shares the Concat's words: its channel c is the Concat's channel
/// <see cref="C0"/> + c, and <see cref="ChannelBlocks"/> are the Concat's.
/// </summary>
public sealed record FmRegion(string Tensor, DataType Type, Shape Shape, int Base, int ChannelBlocks, int Planes, int Born, int Dies, int C0 = 0, int Pitch = 0)
{
    public const int End = int.MaxValue;

    public int Words => Shape.H * RowWords * ChannelBlocks;
    public int Limit => Base + Words;

    /// <summary>
    /// Words from one row to the next: W * K, or the <see cref="Pitch"/> a column-walking
    /// layer needs (rows padded to 1 modulo the banks, docs/engine.md "Vertical walk").
    /// </summary>
    public int RowWords => Pitch > 0 ? Pitch : Shape.W * Planes;

    /// <summary>
    /// word(y, x, cb, p) = Base + (cb * H + y) * R + x * K + p (cb of the stored channel C0 + c,
    /// R = <see cref="RowWords"/>): each channel block is a contiguous image, planes innermost,
    /// so consecutive positions of one row are consecutive runs of K words (docs/engine.md
    /// "Feature memory FM").
    /// </summary>
    public int Address(int y, int x, int cb, int p) => Base + (cb * Shape.H + y) * RowWords + x * Planes + p;

    /// <summary>Words from one channel block to the next: H * R.</summary>
    public int BlockStep => Shape.H * RowWords;

    /// <summary>Two tensors may not share words when both are live at one step.</summary>
    public bool LiveTogether(FmRegion other) => Born <= other.Dies && other.Born <= Dies;

    public string Dump() => string.Create(CultureInfo.InvariantCulture,
        $"{Tensor}: words {Base}..{Limit - 1} ({Words}) = {Shape.H}x{Shape.W} positions x {ChannelBlocks} blocks x {Planes} planes{(Pitch > 0 ? $" (rows of {Pitch} words)" : "")} ({Shape.C} channels {Type}{(C0 == 0 ? "" : $" from channel {C0}")}), live {Born}..{(Dies == End ? "end" : Dies.ToString(CultureInfo.InvariantCulture))}");
}

/// <summary>
/// A Concat's output as the engine sees it: no program word of its own; it is complete when
/// layer <see cref="AfterLayer"/> (the last to write an operand) ends.
/// </summary>
public sealed record ViewLayer(string Name, string Tensor, int AfterLayer);

/// <summary>The output of <see cref="AllocateFeatureMemory"/>: the fused layers and a region per tensor (views included).</summary>
public sealed record AllocatedGraph(FusedGraph Graph, EquatableArray<FmRegion> Regions, int PeakWords, EquatableArray<ViewLayer> Views = default)
{
    public FmRegion Region(string tensor) =>
        Regions.FirstOrDefault(r => r.Tensor == tensor) ?? throw new InvalidOperationException($"tensor '{tensor}' has no region");

    public FmRegion InputRegion => Regions[0];

    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append(Graph.Dump());
        sb.Append("feature memory: peak ").Append(PeakWords.ToString(CultureInfo.InvariantCulture)).Append(" words\n");
        foreach (var r in Regions) sb.Append("  ").Append(r.Dump()).Append('\n');
        return sb.ToString();
    }
}
