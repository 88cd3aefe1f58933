using BnnHdl.Engine;

namespace BnnHdl.Lowering;

/// <summary>
/// How many output positions one beat of a layer computes (docs/engine.md "Segments"). A
/// layer whose groups have few input channels leaves most lanes idle; with G segments each
/// PE's S lanes split into G runs of S / G, run g working on output position x + g of the
/// same row: G words are read per beat (the same tap, plane and block of G neighbouring input
/// positions) and G positions are written per write cycle. The largest G that satisfies
/// every condition is taken; G = 1 is v1. Lane-mode work (depthwise layers, stride-1 sum
/// pools, copies) segments the same way: PE i finds its channel in every segment's word and
/// uses the first lane of run g for position x + g, so any channel range fits; or, with the
/// window (docs/engine.md "Window"), lanes t &lt; KW of run g for the KW taps of a window row,
/// one beat per row and plane. Max pooling, padded B sums and act x act products keep one
/// position and one tap per beat.
/// </summary>
public static class Segmentation
{
    /// <summary>log2 G, and whether the taps of a window row share a beat (lane mode only).</summary>
    public sealed record Choice(int Log2, bool Window)
    {
        public static readonly Choice None = new(0, false);
    }

    /// <summary>The segments of one program word of a layer whose tiles are already cut.</summary>
    /// <remarks>
    /// <paramref name="vertical"/>: the part is the transposed walk of a vertical strip
    /// (<see cref="VerticalWalk"/>), whose accesses read one plane of positions a row apart,
    /// so a position costs one word of an access.
    /// </remarks>
    public static Choice Choose(FusedLayer layer, DotPart part, IReadOnlyList<TileDescriptor> tiles,
        FmRegion inR, FmRegion outR, FmRegion? resR, EngineConfig config, bool vertical = false)
    {
        var dot = layer.Dot;
        // Neighbouring outputs must read neighbouring inputs (stride 1) and write neighbouring
        // words (no strided output grid); act x act products have their own path.
        bool lane = dot.Mode == DotMode.Lane;
        if (dot.Mode is not (DotMode.Dense or DotMode.Lane) || dot.Broadcast is not null
            || part.Stride.X != 1 || part.Out.Sx != 1 || tiles.Count == 0)
            return Choice.None;
        // Dense: every tile reads lanes 0 .. ICg-1 of one block, so segment g's lanes are word g's
        // lanes 0 .. S/G-1. Lane mode needs one lane per run.
        if (!lane && tiles.Any(t => t.Ncb != 1 || t.LaneLo != 0)) return Choice.None;
        int widest = lane ? 1 : tiles.Max(t => t.InHi - t.InLo);
        int inWords = vertical ? 1 : inR.Planes, outWords = vertical ? 1 : outR.Planes;
        var plain = new Choice(Log2(widest, 1, part, inWords, outWords, resR, config), false);
        // The window: a row's KW taps of G positions span G + KW - 1 input positions (dilation 1).
        int kw = part.Kernel.X;
        int dilation = vertical ? dot.Geometry.Dilation.Y : dot.Geometry.Dilation.X;
        if (!lane || kw < 2 || kw > config.S || dilation != 1 || !Fits(kw, inWords, config)) return plain;
        var window = new Choice(Log2(kw, kw, part, inWords, outWords, resR, config), true);
        // Beats per row of output: ceil(OW / G) groups of KH K (window) or KH KW K beats.
        long Cost(Choice c) => (part.Out.W + (1 << c.Log2) - 1 >> c.Log2) * (c.Window ? 1L : kw);
        return Cost(window) < Cost(plain) ? window : plain;
    }

    /// <summary>
    /// The largest log2 G with runs of at least <paramref name="runLanes"/> lanes whose
    /// accesses fit the banks (a window of <paramref name="taps"/> taps per run reads
    /// G + taps - 1 positions of <paramref name="inWords"/> words each), and fewer segments than
    /// the row has positions.
    /// </summary>
    private static int Log2(int runLanes, int taps, DotPart part, int inWords, int outWords, FmRegion? resR, EngineConfig config)
    {
        int log2 = 0;
        while ((2 << log2) <= config.Segments && runLanes <= config.S >> (log2 + 1)
               && Fits((2 << log2) + taps - 1, inWords, config) && Fits(2 << log2, outWords, config)
               && (resR is null || Fits(2 << log2, resR.Planes, config))
               && (1 << log2) < part.Out.W)
            log2++;
        return log2;
    }

    /// <summary>
    /// The most positions a beat could compute for a group of <paramref name="channels"/>
    /// inputs of <paramref name="planes"/> planes (the input alone decides; tiles, strides and
    /// the output's planes may allow fewer): a rough measure for choices made before tiling.
    /// </summary>
    public static int PositionsPerBeat(int channels, int planes, EngineConfig config)
    {
        int g = 1;
        while (2 * g <= config.Segments && channels <= config.S / (2 * g) && Fits(2 * g, planes, config)) g *= 2;
        return g;
    }

    /// <summary>N positions of K planes each span (N - 1) * K + 1 words, which one access of B words must cover.</summary>
    private static bool Fits(int positions, int planes, EngineConfig config) => (positions - 1) * planes + 1 <= config.Banks;
}
