using BnnHdl.Engine;

namespace BnnHdl.Lowering;

/// <summary>
/// How many output positions one beat of a dense layer computes (docs/engine.md
/// "Segments"). A layer whose groups have few input channels leaves most lanes idle; with G
/// segments each PE's S lanes split into G runs of S / G, run g working on output position
/// x + g of the same row: G words are read per beat (the same tap, plane and block of G
/// neighbouring input positions) and G positions are written per write cycle. The largest G
/// that satisfies every condition is taken; G = 1 is v1. Lane-mode work (depthwise layers,
/// stride-1 sum pools, copies) segments the same way: PE i finds its channel in every
/// segment's word and uses the first lane of run g for position x + g, so any channel range
/// fits; max pooling, padded B sums and act x act products keep one position per beat.
/// </summary>
public static class Segmentation
{
    /// <summary>log2 G for one program word of a layer whose tiles are already cut.</summary>
    public static int ChooseLog2(FusedLayer layer, DotPart part, IReadOnlyList<TileDescriptor> tiles,
        FmRegion inR, FmRegion outR, FmRegion? resR, EngineConfig config)
    {
        var dot = layer.Dot;
        // Neighbouring outputs must read neighbouring inputs (stride 1) and write neighbouring
        // words (no strided output grid); lane-mode work and act x act products have their own paths.
        bool lane = dot.Mode == DotMode.Lane;
        if (config.Segments == 1 || dot.Mode is not (DotMode.Dense or DotMode.Lane) || dot.Broadcast is not null
            || part.Stride.X != 1 || part.Out.Sx != 1 || part.Out.W < 2 || tiles.Count == 0)
            return 0;
        // Dense: every tile reads lanes 0 .. ICg-1 of one block, so segment g's lanes are word g's
        // lanes 0 .. S/G-1. Lane mode needs one lane per run.
        int widest = lane ? 1 : tiles.Max(t => t.InHi - t.InLo);
        if (!lane && tiles.Any(t => t.Ncb != 1 || t.LaneLo != 0)) return 0;
        int log2 = 0;
        while ((2 << log2) <= config.Segments && widest <= config.S >> (log2 + 1)
               && Fits(2 << log2, inR.Planes, config) && Fits(2 << log2, outR.Planes, config)
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

    /// <summary>G positions of K planes each span (G - 1) * K + 1 words, which one access of B words must cover.</summary>
    private static bool Fits(int g, int planes, EngineConfig config) => (g - 1) * planes + 1 <= config.Banks;
}
