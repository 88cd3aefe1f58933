using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Engine;

/// <summary>Predicted cycles of a program: per layer, and the whole run.</summary>
public sealed record CyclePrediction(EquatableArray<long> Layers, long Total);

/// <summary>A layer's cycles split into beats, write-back stalls and the rest (setups, tile ends).</summary>
public sealed record CycleBreakdown(long Beats, long Stalls, long Other)
{
    public long Total => Beats + Stalls + Other;
    public static CycleBreakdown operator +(CycleBreakdown a, CycleBreakdown b) =>
        new(a.Beats + b.Beats, a.Stalls + b.Stalls, a.Other + b.Other);
}

/// <summary>
/// The closed cycle formula of docs/engine.md "Loop nest and exact cycle count":
/// cycles(layer) = LAYER_SETUP + sum over tiles (TILE_SETUP + (M - 1) * max(N, W) + N + 2 + W),
/// M = OH * ceil(OW / G) positions (position groups of G segments; G = 1 without), N = KH * KW * (NCB * K_in + bc_k) beats per position (bc_k only for
/// act x act products), W = R + K_out write-back cycles (R = res_k + 1 with a
/// residual Add, else 0): the write-back of a position overlaps the beats of the next.
/// The RTL and the simulator must count exactly this.
/// </summary>
public static class CycleModel
{
    /// <summary>Program word read + latch.</summary>
    public const int LayerSetup = 2;
    /// <summary>Tile word read + latch.</summary>
    public const int TileSetup = 2;
    /// <summary>From start to the first program read.</summary>
    public const int RunOverhead = 1;

    public static long LayerCycles(LayerDescriptor d, IEnumerable<TileDescriptor> tiles) =>
        LayerSetup + tiles.Sum(t => TileSetup + d.TileCycles(d.Groups, d.Beats(t.NcbK)));

    /// <summary>
    /// Where a program word's cycles go: beat cycles (every position's N beats), write-back
    /// stalls (positions waiting W - N cycles when the write-back is the longer), and the rest
    /// (setups, each tile's last drain, acc cycle and write-back).
    /// </summary>
    public static CycleBreakdown Breakdown(LayerDescriptor d, IEnumerable<TileDescriptor> tiles)
    {
        long beats = 0, stalls = 0, positions = d.Groups;
        foreach (var t in tiles)
        {
            long n = d.Beats(t.NcbK);
            beats += positions * n;
            stalls += (positions - 1) * Math.Max(0, d.WriteBackCycles - n);
        }
        return new CycleBreakdown(beats, stalls, LayerCycles(d, tiles) - beats - stalls);
    }

    public static CyclePrediction Predict(LoweredProgram program)
    {
        // A layer of several program words (parts) takes the sum of its parts.
        var layers = program.Layers.Select(l => l.Parts.Sum(p => LayerCycles(p.Descriptor, p.Tiles))).ToEquatableArray();
        return new CyclePrediction(layers, layers.Sum() + RunOverhead);
    }
}
