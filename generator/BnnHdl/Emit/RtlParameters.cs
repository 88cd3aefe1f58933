using System.Numerics;
using BnnHdl.Engine;
using BnnHdl.Lowering;

namespace BnnHdl.Emit;

/// <summary>One engine memory as the generated top instantiates it.</summary>
public sealed record MemoryParameters(string Name, string File, int Depth, int Width, int AddressBits);

/// <summary>
/// Every number the generated top prints (docs/engine.md "Engine parameters printed into the
/// generated top"): the engine shape and datapath widths from the lowering, the memories,
/// and the two RTL-only widths derived here from the program: the signed coordinate width
/// <see cref="CoordinateBits"/> and the address widths, each wide enough for its memory and
/// for every descriptor field holding such an address (so no field bit is dropped).
/// </summary>
public sealed record RtlParameters(
    string Network, int P, int S, int AccumulatorBits, int ThresholdBits, int ThresholdSlots, int CoordinateBits,
    MemoryParameters Fm, MemoryParameters Wm, MemoryParameters Tm, MemoryParameters Tt, MemoryParameters Pm,
    int LayerIdBits, int Layers, HardwareWords Words, int Segments = 1, int Banks = 1, int PeGroups = 1)
{
    /// <summary>The layer_id output of the top is 32 bits.</summary>
    public const int MaxLayerIdBits = 32;

    public static RtlParameters Of(LoweredProgram program)
    {
        var words = HardwareWords.Of(program);
        var dims = program.Dimensions;
        var pmLayout = words.Program;
        var ttLayout = words.Tile;

        int fmBits = Max(AddressBits(dims.FmWords),
            RtlFields.FeatureAddressFields.Select(f => pmLayout[f].Width)
                .Concat(RtlFields.FeatureAddressTileFields.Select(f => ttLayout[f].Width)));
        int wmBits = Math.Max(AddressBits(dims.WmWords), ttLayout["wb"].Width);
        int tmBits = Math.Max(AddressBits(dims.TmWords), ttLayout["tb"].Width);
        int ttBits = Math.Max(AddressBits(dims.TileWords), pmLayout["tile_base"].Width);
        int pmBits = AddressBits(dims.ProgramWords);

        int layerIdBits = pmLayout["layer_id"].Width;
        if (layerIdBits > MaxLayerIdBits)
            throw new BnnHdlException($"network '{program.Name}': {layerIdBits}-bit layer ids do not fit the {MaxLayerIdBits}-bit layer_id port");

        return new RtlParameters(
            program.Name, program.Config.P, program.Config.S, dims.AccumulatorBits, dims.ThresholdBits, dims.ThresholdSlots,
            CoordinateWidth(program, pmLayout),
            new MemoryParameters("fm", "fm.memh", dims.FmWords, dims.FmWordBits, fmBits),
            new MemoryParameters("wm", "wm.memh", dims.WmWords, dims.WmWordBits, wmBits),
            new MemoryParameters("tm", "tm.memh", dims.TmWords, dims.TmWordBits, tmBits),
            new MemoryParameters("tt", "tt.memh", words.TileImage.Depth, ttLayout.Bits, ttBits),
            new MemoryParameters("pm", "pm.memh", words.ProgramImage.Depth, pmLayout.Bits, pmBits),
            layerIdBits, program.Layers.Count, words, dims.Segments, dims.Banks, dims.PeGroups);
    }

    /// <summary>Address bits of a memory of <paramref name="words"/> words (at least 1).</summary>
    public static int AddressBits(int words) =>
        words <= 2 ? 1 : 32 - BitOperations.LeadingZeroCount((uint)(words - 1));

    /// <summary>
    /// The engine's coordinate registers hold, for every layer, -pt and -pl, every visited
    /// input row iy = y sy + ky dy - pt (and column), and in_h / in_w, all as signed values;
    /// coordinate fields are zero-extended into them, so CW exceeds each field's width.
    /// </summary>
    private static int CoordinateWidth(LoweredProgram program, WordLayout pm)
    {
        long min = 0, max = 0;
        foreach (var d in program.Layers.SelectMany(l => l.Descriptors))
        {
            min = Math.Min(min, Math.Min(-(long)d.Pt, -(long)d.Pl));
            max = Math.Max(max, Math.Max(d.InH, d.InW));
            max = Math.Max(max, (long)(d.Oh - 1) * d.Sy + (long)(d.Kh - 1) * d.Dy - d.Pt);
            // Position j of an access is tested at column ix + j for every j below the banks
            // (segment g is position g; the window's taps of segment g are positions g + t).
            max = Math.Max(max, (long)(d.Ow - 1) * d.Sx + (long)(d.Kw - 1) * d.Dx - d.Pl + program.Dimensions.Banks - 1);
        }
        return Max(WideBits.SignedWidth(min, max), RtlFields.CoordinateFields.Select(f => pm[f].Width + 1));
    }

    private static int Max(int first, IEnumerable<int> rest) => rest.Aggregate(first, Math.Max);
}
