using System.Globalization;
using BnnHdl.Lowering;

namespace BnnHdl.Emit;

/// <summary>One memory as the top template prints it (msb = width - 1, precomputed).</summary>
public sealed record MemoryView(string File, int Depth, int Width, int Abits, int AddrMsb, int DataMsb)
{
    public static MemoryView Of(MemoryParameters m) => new(m.File, m.Depth, m.Width, m.AddressBits, m.AddressBits - 1, m.Width - 1);
}

/// <summary>One descriptor field as bnn_params.vh prints it.</summary>
public sealed record FieldView(string Name, int Lsb, int Width);

/// <summary>
/// The values the Handlebars templates print, all decided before (<see cref="RtlParameters"/>):
/// the templates hold no arithmetic and no defaults.
/// </summary>
public sealed record RtlView(
    string Network, string CoreName, int P, int S, int Aw, int Tw, int Cw, int TmSlots, int LidWidth, int LidMsb, int Layers,
    MemoryView Fm, MemoryView Wm, MemoryView Tm, MemoryView Tt, MemoryView Pm,
    int ProgramBits, int TileBits, IReadOnlyList<FieldView> ProgramFields, IReadOnlyList<FieldView> TileFields,
    IReadOnlyList<string> Sources, IReadOnlyList<string> Images,
    int Segments, int Banks, int BanksMsb, int FmAccessMsb, int PeGroups)
{
    public static RtlView Of(RtlParameters r) => new(
        r.Network, CoreNameOf(r.Network), r.P, r.S, r.AccumulatorBits, r.ThresholdBits, r.CoordinateBits,
        r.ThresholdSlots, r.LayerIdBits, r.LayerIdBits - 1, r.Layers,
        MemoryView.Of(r.Fm), MemoryView.Of(r.Wm), MemoryView.Of(r.Tm), MemoryView.Of(r.Tt), MemoryView.Of(r.Pm),
        r.Words.Program.Bits, r.Words.Tile.Bits, Fields(r.Words.Program), Fields(r.Words.Tile),
        RtlEmitter.Sources, [r.Fm.File, r.Wm.File, r.Tm.File, r.Tt.File, r.Pm.File],
        r.Segments, r.Banks, r.Banks - 1, r.Banks * r.S - 1, r.PeGroups);

    private static IReadOnlyList<FieldView> Fields(WordLayout layout) =>
        layout.Fields.Select(f => new FieldView(f.Name.ToUpperInvariant(), f.Lsb, f.Width)).ToList();

    /// <summary>The network name as a FuseSoC VLNV name part: lower-case letters, digits, '_' and '-'.</summary>
    public static string CoreNameOf(string network)
    {
        var chars = network.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray();
        return chars.Length == 0 ? "network" : new string(chars);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network} on {P}x{S}");
}
