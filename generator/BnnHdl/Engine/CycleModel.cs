using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Engine;

/// <summary>Predicted cycles of a program: per layer, and the whole run.</summary>
public sealed record CyclePrediction(EquatableArray<long> Layers, long Total);

/// <summary>
/// The closed cycle formula of docs/engine.md "Loop nest and exact cycle count":
/// cycles(layer) = LAYER_SETUP + sum over tiles (TILE_SETUP + OH * OW * (N_tile + WB)),
/// N_tile = KH * KW * (NCB * K_in + bc_k) beats (bc_k only for act x act products), WB = 2 + R + n_thr + K_out write-back cycles
/// (R = res_k + 1 with a residual Add, else 0).
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
        LayerSetup + tiles.Sum(t => TileSetup + (long)d.Oh * d.Ow * (d.Beats(t.NcbK) + d.WriteBackCycles));

    public static CyclePrediction Predict(LoweredProgram program)
    {
        // A layer of several program words (parts) takes the sum of its parts.
        var layers = program.Layers.Select(l => l.Parts.Sum(p => LayerCycles(p.Descriptor, p.Tiles))).ToEquatableArray();
        return new CyclePrediction(layers, layers.Sum() + RunOverhead);
    }
}
