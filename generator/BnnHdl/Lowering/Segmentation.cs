using BnnHdl.Engine;

namespace BnnHdl.Lowering;

/// <summary>
/// How many output positions one beat of a layer computes (docs/engine.md "Segments"). With G
/// segments each PE's S lanes split into G runs of S / G, run g working on output position
/// x + g of the same row: G words are read per beat (the same tap, plane and block of G
/// neighbouring input positions) and G positions are written per write cycle. Dense work
/// cuts each group's input channels into runs of S / G lanes ("run blocks", one beat each),
/// so a group of 16, 48 or 160 channels fills the lanes as well as one of 64; the G with the
/// fewest cycles is taken (G = 1 is v1). Lane-mode work (depthwise layers, stride-1 sum
/// pools, copies) takes the largest G: PE i finds its channel in every segment's word and
/// uses the first lane of run g for position x + g, so any channel range fits; or, with the
/// window (docs/engine.md "Window"), lanes t &lt; KW of run g for the KW taps of a window row,
/// one beat per row and plane. Act x act products (<see cref="ProductLog2"/>) compute G columns
/// per beat: every segment reads the tap's one word, each has its own broadcast element. Max
/// pooling and padded B sums keep one position and one tap per beat.
/// </summary>
public static class Segmentation
{
    /// <summary>log2 G, and whether the taps of a window row share a beat (lane mode only).</summary>
    public sealed record Choice(int Log2, bool Window)
    {
        public static readonly Choice None = new(0, false);
    }

    /// <summary>The segments of one program word of a layer whose tiles are already cut and whose descriptor <paramref name="d"/> is written (segments aside).</summary>
    /// <remarks>
    /// <paramref name="vertical"/>: the part is the transposed walk of a vertical strip
    /// (<see cref="VerticalWalk"/>), whose accesses read one plane of positions a row apart,
    /// so a position costs one word of an access.
    /// </remarks>
    public static Choice Choose(FusedLayer layer, DotPart part, IReadOnlyList<TileDescriptor> tiles, LayerDescriptor d,
        FmRegion inR, FmRegion outR, FmRegion? resR, EngineConfig config, bool vertical = false)
    {
        var dot = layer.Dot;
        // Neighbouring outputs must read neighbouring inputs (stride 1) and write neighbouring
        // words (no strided output grid); act x act products have their own path.
        bool lane = dot.Mode == DotMode.Lane;
        if (!Contiguous(layer, part) || tiles.Count == 0) return Choice.None;
        // Neighbouring positions of a beat read input positions sx apart: sx K words (one word,
        // a row apart, in the vertical walk's strided accesses).
        int inWords = vertical ? 1 : inR.Planes * part.Stride.X, outWords = vertical ? 1 : outR.Planes;
        int resWords = resR is null ? 0 : vertical ? 1 : resR.Planes;
        if (!lane) return new Choice(DenseLog2(tiles, d, part, inWords, outWords, resWords, config), false);
        var plain = new Choice(Log2(1, 1, part, inWords, outWords, resWords, config), false);
        // The window: a row's KW taps of G positions span G + KW - 1 input positions (dilation 1).
        int kw = part.Kernel.X;
        int dilation = vertical ? dot.Geometry.Dilation.Y : dot.Geometry.Dilation.X;
        if (kw < 2 || kw > config.S || dilation != 1 || part.Stride.X != 1 || !Fits(kw, inWords, config)) return plain;
        var window = new Choice(Log2(kw, kw, part, inWords, outWords, resWords, config), true);
        // Beats per row of output: ceil(OW / G) groups of KH K (window) or KH KW K beats.
        long Cost(Choice c) => (part.Out.W + (1 << c.Log2) - 1 >> c.Log2) * (c.Window ? 1L : kw);
        return Cost(window) < Cost(plain) ? window : plain;
    }

    /// <summary>
    /// An act x act product's log2 G (docs/engine.md "Activation x activation products"), from
    /// its descriptor with the broadcast fields written: the largest G the accesses allow. Every
    /// segment reads the tap's word (the window never moves), so only the elements and the
    /// write-back decide: G columns' elements are G neighbouring lanes of one word
    /// (bc_per_tap = 0: bc_lane0 a multiple of G keeps a group inside its block) or G words
    /// bc_word_step apart (bc_per_tap = 1) of one access; the G outputs' words (and residual
    /// words) fit an access too. A group's columns move the element G lanes or G words on,
    /// which is exact across rows when G divides the row (or there is one row).
    /// </summary>
    public static int ProductLog2(LayerDescriptor d, DotPart part, FmRegion outR, FmRegion? resR, EngineConfig config)
    {
        if (part.Out.Sx != 1 || d.OutXStep != outR.Planes) return 0;
        int resWords = resR is null ? 0 : resR.Planes;
        bool Allows(int g) => g <= config.Segments && g <= config.S && g / 2 < d.Ow
            && (d.Oh == 1 || d.Ow % g == 0)
            && Fits(g, outR.Planes, config) && Fits(g, resWords, config)
            && (d.BcPerTap == 1 ? Fits(g, d.BcWordStep, config) : d.BcLane0 % g == 0);
        int log2 = 0;
        while (Allows(2 << log2)) log2++;
        return log2;
    }

    /// <summary>
    /// Whether neighbouring output positions of the part write neighbouring words, as several
    /// positions per beat need (segments, PE groups); their inputs lie sx positions apart.
    /// </summary>
    public static bool Contiguous(FusedLayer layer, DotPart part) =>
        layer.Dot.Mode is DotMode.Dense or DotMode.Lane && layer.Dot.Broadcast is null && part.Out.Sx == 1;

    /// <summary>
    /// Dense work: the log2 G with the fewest cycles (the fewest segments among equals) whose
    /// runs of S / G lanes start every tile's group (lane_lo a multiple of S / G) and whose
    /// accesses fit the banks (G Q positions with the descriptor's Q PE groups). A position group costs max(N, W) cycles, N = taps x run blocks
    /// x planes, so more segments pay when the write-back W outlasts the beats (a 1x1 with a
    /// residual) and when smaller runs waste fewer lanes (160 channels: 5 runs of 32 lanes
    /// instead of 3 blocks of 64).
    /// </summary>
    private static int DenseLog2(IReadOnlyList<TileDescriptor> tiles, LayerDescriptor d, DotPart part, int inWords, int outWords, int resWords, EngineConfig config)
    {
        long Cycles(int log2)
        {
            var segmented = d with { SegLog2 = log2 };
            return tiles.Sum(t => segmented.TileCycles(segmented.Groups, segmented.Beats(RunBlocks(t, log2, config.S, d.InK).NcbK)));
        }
        int best = 0, q = d.PegLog2;
        long fewest = Cycles(0);
        for (int log2 = 1; (1 << log2) <= config.Segments && (1 << log2) <= config.S && (1 << (log2 + q - 1)) < part.Out.W
                && Fits(1 << (log2 + q), inWords, config) && Fits(1 << (log2 + q), outWords, config) && Fits(1 << (log2 + q), resWords, config); log2++)
        {
            if (tiles.Any(t => t.LaneLo % (config.S >> log2) != 0)) continue;
            long cycles = Cycles(log2);
            if (cycles < fewest) (best, fewest) = (log2, cycles);
        }
        return best;
    }

    /// <summary>
    /// A dense tile with 2^<paramref name="log2"/> segments: its group's ICg input channels as
    /// ceil(ICg / L) run blocks of L = S / G lanes, the first at lane lane_lo of block cb_lo,
    /// the last holding lane_hi lanes (docs/engine.md "Segments"). Unchanged without segments.
    /// </summary>
    public static TileDescriptor RunBlocks(TileDescriptor tile, int log2, int s, int planes)
    {
        if (log2 == 0) return tile;
        int run = s >> log2, channels = tile.InHi - tile.InLo, n = (channels + run - 1) / run;
        return tile with { Ncb = n, NcbK = n * planes, LaneHi = channels - (n - 1) * run };
    }

    /// <summary>
    /// The largest log2 G with runs of at least <paramref name="runLanes"/> lanes whose
    /// accesses fit the banks (a window of <paramref name="taps"/> taps per run reads
    /// G + taps - 1 positions of <paramref name="inWords"/> words each, the write-back G of
    /// <paramref name="outWords"/> and <paramref name="resWords"/>, 0 without an operand), and fewer segments than
    /// the row has positions.
    /// </summary>
    private static int Log2(int runLanes, int taps, DotPart part, int inWords, int outWords, int resWords, EngineConfig config)
    {
        int log2 = 0;
        while ((2 << log2) <= config.Segments && runLanes <= config.S >> (log2 + 1)
               && Fits((2 << log2) + taps - 1, inWords, config) && Fits(2 << log2, outWords, config)
               && Fits(2 << log2, resWords, config)
               && (1 << log2) < part.Out.W)
            log2++;
        return log2;
    }

    /// <summary>
    /// The lanes one position of a dense group of <paramref name="channels"/> inputs of
    /// <paramref name="planes"/> planes takes per tap and plane at best: ceil(ICg / L) runs of
    /// L = S / G lanes for the best G the banks allow (the input alone decides; tiles and the
    /// output's planes may allow fewer): a rough measure for choices made before tiling.
    /// </summary>
    /// <param name="planes">The words between neighbouring positions' inputs (K, times the stride).</param>
    public static int LanesPerPosition(int channels, int planes, EngineConfig config)
    {
        int best = (channels + config.S - 1) / config.S * config.S;
        for (int g = 2; g <= config.Segments && g <= config.S && Fits(g, planes, config); g *= 2)
        {
            int run = config.S / g;
            best = Math.Min(best, (channels + run - 1) / run * run);
        }
        return best;
    }

    /// <summary>N positions of K planes each span (N - 1) * K + 1 words, which one access of B words must cover.</summary>
    public static bool Fits(int positions, int planes, EngineConfig config) => (positions - 1) * planes + 1 <= config.Banks;
}
