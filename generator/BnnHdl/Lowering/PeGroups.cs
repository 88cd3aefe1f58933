using BnnHdl.Engine;

namespace BnnHdl.Lowering;

/// <summary>
/// PE groups (docs/engine.md "PE groups"). A dense layer whose tiles have fewer output
/// channels than P leaves PEs idle (OC / P). With Q = 2^peg_log2 groups the P PEs split into
/// Q groups of P / Q, every group computing the same tile channels for its own positions:
/// group q takes positions q G .. q G + G - 1 of a beat's G Q (G segments each), read from the
/// same access. Tiles are cut at multiples of P / Q instead of P, so 96 channels become three
/// tiles of 32 on two groups. Of the Q that hold (Q at most the configured groups, P / Q a
/// multiple of the cross-channel pooling group, the accesses fitting the banks) the one with
/// the fewest cycles is taken, with the best G for it (<see cref="Segmentation"/>); the fewest
/// groups among equals.
/// </summary>
public static class PeGroups
{
    /// <summary>The chosen groups and segments of a dense program word, and its tiles cut for them.</summary>
    public sealed record Choice(int Log2, Segmentation.Choice Segments, IReadOnlyList<TileDescriptor> Tiles);

    /// <param name="tilesFor">The layer's tiles cut at multiples of the given PEs per group.</param>
    public static Choice Choose(FusedLayer layer, DotPart part, Func<int, IReadOnlyList<TileDescriptor>> tilesFor, LayerDescriptor d,
        FmRegion inR, FmRegion outR, FmRegion? resR, EngineConfig config)
    {
        var tiles = tilesFor(config.P);
        var best = new Choice(0, Segmentation.Choose(layer, part, tiles, d, inR, outR, resR, config), tiles);
        long fewest = Cycles(best, d, inR.Planes, config);
        if (!Segmentation.Contiguous(layer, part)) return best;
        // With cross-channel pooling by 2^xcp every PE group holds whole pooling groups.
        for (int log2 = 1; (1 << log2) <= config.PeGroups && (1 << (log2 - 1)) < part.Out.W
                && (config.P >> log2) % (1 << layer.PoolLog2) == 0
                && Segmentation.Fits(1 << log2, inR.Planes * part.Stride.X, config) && Segmentation.Fits(1 << log2, outR.Planes, config)
                && (resR is null || Segmentation.Fits(1 << log2, resR.Planes, config)); log2++)
        {
            var grouped = d with { PegLog2 = log2 };
            var cut = tilesFor(config.P >> log2);
            var candidate = new Choice(log2, Segmentation.Choose(layer, part, cut, grouped, inR, outR, resR, config), cut);
            long cycles = Cycles(candidate, d, inR.Planes, config);
            if (cycles < fewest) (best, fewest) = (candidate, cycles);
        }
        return best;
    }

    /// <summary>The program word's cycles with this choice (its tiles read in run blocks when segmented).</summary>
    private static long Cycles(Choice c, LayerDescriptor d, int planes, EngineConfig config)
    {
        var chosen = d with { PegLog2 = c.Log2, SegLog2 = c.Segments.Log2 };
        return c.Tiles.Sum(t => CycleModel.TileSetup + chosen.TileCycles(chosen.Groups, chosen.Beats(Segmentation.RunBlocks(t, c.Segments.Log2, config.S, planes).NcbK)));
    }
}
