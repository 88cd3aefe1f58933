namespace BnnHdl.Reports;

/// <summary>
/// Cells of one instance of each engine module, as Yosys 0.23 `synth` maps it to its
/// generic gate library ($_AND_, $_MUX_, $_XOR_, flip-flops, ...), the module's own logic
/// only (its submodules are counted as modules of their own). Each formula counts the
/// structures the template builds (adder bits, mux bits, shifter stages, compare bits) and
/// weighs them by the cells Yosys spends per unit; the weights were fitted to standalone
/// syntheses of each template over a grid of parameters and are checked against the
/// synthesized engine by GateEstimateTests.
/// </summary>
public static class ModuleCells
{
    /// <summary>
    /// bnn_popcount of N bits, with its subtree: a node adds its halves' counts and the carry-in
    /// bit: a full adder (5 cells) per bit of the narrower half, a half adder (2) per further
    /// bit of the wider.
    /// </summary>
    public static long Popcount(int n)
    {
        if (n <= 1) return 0;
        if (n == 2) return 2;
        if (n == 3) return 5;
        int nl = (n - 1) / 2, nr = n - 1 - nl;
        int wl = EngineWidths.Clog2(nl + 1), wr = EngineWidths.Clog2(nr + 1);
        return Popcount(nl) + Popcount(nr) + 5L * wl + 2L * (wr - wl);
    }

    /// <summary>
    /// bnn_accum: count shifted by the plane (a log shifter whose stage k is CW + 2^(k+1) - 1
    /// bits wide, at most AW), then base + term or base - term and the register, per AW bit.
    /// </summary>
    public static long Accumulator(int countBits, int accBits, int planeBits)
    {
        long shifter = 0;
        for (int k = 0; k < planeBits; k++) shifter += Math.Min(accBits, countBits + (1 << (k + 1)) - 1);
        return Round(11.0 * accBits + 2.0 * shifter - 24);
    }

    /// <summary>
    /// bnn_pe's own logic: the AND of act and weight (S), the tree joining the runs' counts
    /// (SEGS / 2^j adders of level j, as wide as their counts), each accumulator's selection
    /// among the segment modes, and the broadcast element muxed in per segment. Yosys merges
    /// the mode selection into the tree's adders, so the fit weighs the tree's bits high and
    /// takes back part of it per selection bit (a negative weight).
    /// </summary>
    public static long Pe(int s, int segments, int broadcastBits)
    {
        int cw = EngineWidths.Clog2(s + 1), l = s / segments, sl2 = EngineWidths.Log2(segments);
        long tree = 0;
        for (int j = 1; j <= sl2; j++) tree += (long)(segments >> j) * Math.Min(cw, EngineWidths.Clog2((l << j) + 1));
        long slots = segments > 1 ? (long)cw * (2 * segments - 1) : 0;
        return Round(1.25 * s + 14.5 * tree - 2.5 * slots + 1.5 * segments * broadcastBits + 0.5 * segments * cw);
    }

    /// <summary>
    /// bnn_wb_lane's own logic, all XW wide: forming acc (shift by sc, subtract the
    /// corrections, add the bias, or the max-pooling path), the residual's add chain and
    /// gate, the TS - 1 signed threshold compares, and the shifters by sc, sa, sb and the
    /// residual plane (a stage per bit of each). Its popcount of the reached thresholds is
    /// counted with <see cref="Popcount"/>.
    /// </summary>
    public static long WbLane(int workBits, int thresholdSlots, int shiftBits) =>
        Round(55.9 * workBits + 5.16 * workBits * (thresholdSlots - 1) + 1.16 * workBits * shiftBits + 3.7 * thresholdSlots - 38);

    /// <summary>bnn_channel_pool: per PE the pair and quad maxima (QW-bit compares) and the mode's mux.</summary>
    public static long ChannelPool(int p, int countBits) => Round(8.3 * p * countBits - 6.3 * p);

    /// <summary>bnn_wb_segment's own logic: per PE, bit op of its (pooled) count or raw sum.</summary>
    public static long WbSegment(int p, int countBits) => (long)p * countBits;

    /// <summary>
    /// bnn_wb_slots' own logic: per slot and word of the access the write enable and data
    /// (an AND and an OR into the access per bit), per slot the shifters placing its lanes
    /// (its output bits by lane0, its residual word by res_lane0) and the position compares
    /// (XGW bits), per PE and segment the correction and residual-bit selections.
    /// </summary>
    public static long WbSlots(EngineWidths w)
    {
        int slots = w.Slots, sl2 = EngineWidths.Log2(w.Segments), pl2 = EngineWidths.Log2(w.PeGroups);
        double words = (double)slots * w.Banks * w.S;
        double shifters = (double)slots * (w.S * w.Lane0Bits + w.P * w.ResLane0Bits);
        double selections = (double)w.P * w.WorkBits * (w.Segments - 1) + (double)w.P * w.Segments * (sl2 + pl2 + 2);
        return Round(2.05 * words + 1.5 * shifters + 1.73 * selections + 12.5 * slots * w.PositionCountBits);
    }

    /// <summary>
    /// bnn_seg_input: each position of the access, each slot's residual word and each
    /// segment's broadcast element selects one of the access's words (a mux per bit of every
    /// word its index can name: position g's index is g x k, a multiple of g's lowest set
    /// bit, k as wide as its field); per PE the act vector of each segment and group mode and
    /// its window taps; per position the pad and lane masks and the shifts to the PEs.
    /// </summary>
    public static long SegInput(EngineWidths w)
    {
        int slots = w.Slots, sl2 = EngineWidths.Log2(w.Segments), pl2 = EngineWidths.Log2(w.PeGroups);
        long words = 0;
        for (int g = 1; g < w.Banks; g++) words += Selectable(g, w.Banks, w.SxStepBits) - 1;   // position 0 is word 0
        for (int g = 1; g < slots; g++) words += Selectable(g, w.Banks, w.ResPlaneBits) - 1;
        for (int g = 1; g < w.Segments; g++) words += Selectable(g, w.Banks, w.BcWordStepBits);
        double modes = (double)w.P * w.S * (sl2 + (w.PeGroups > 1 ? pl2 + 1 : 0)) + (double)w.P * w.Banks * (2 * w.Segments - 1);
        double masks = (double)w.Banks * (w.S + w.P * w.LaneLoBits) + (double)Math.Min(w.Banks, slots) * w.S * EngineWidths.Log2(w.S);
        return Round(1.15 * words * w.S + 0.92 * modes + 2.17 * masks);
    }

    /// <summary>
    /// The words of an access of <paramref name="banks"/> that index g x k names for k below
    /// 2^<paramref name="kBits"/>: g x k is a multiple of g's lowest set bit, and no larger than
    /// g (2^kBits - 1).
    /// </summary>
    private static long Selectable(int g, int banks, int kBits)
    {
        int step = g & -g;
        return Math.Min(Math.Max(1, banks / step), (long)g * ((1L << kBits) - 1) / step + 1);
    }

    /// <summary>
    /// bnn_engine's own logic: the layer and tile sequencer, the write-back's state and
    /// addresses, and the descriptor fields it widens for its blocks (per bit of the program
    /// and tile words).
    /// </summary>
    public static long Engine(EngineWidths w) =>
        Round(155 + 4.1 * (w.ProgramWordBits + w.TileWordBits));

    /// <summary>
    /// bnn_beat_walker: the position, tap, block and plane counters and the address registers
    /// they step (per bit of the program and tile words, whose fields they add), and per
    /// position slot of an access its pad test (CW-bit add and compares).
    /// </summary>
    public static long BeatWalker(EngineWidths w) =>
        Round(10.4 * (w.ProgramWordBits + w.TileWordBits) + 4.6 * w.Banks * w.CoordinateBits);

    /// <summary>
    /// bnn_pe_array's own logic (its PEs and bnn_seg_input counted apart): per PE the
    /// weight-word selection (S wide) and the correction and max-pooling datapath (XW wide),
    /// per segment the broadcast element's bit select and bsum (S and AW wide), and a fixed
    /// part (the inside-tap count, the beat flags).
    /// </summary>
    public static long PeArray(EngineWidths w) =>
        Round(330 + 8.9 * w.P * w.WorkBits + 3.6 * w.P * w.S + 5.9 * w.Segments * (w.S + w.AccumulatorBits));

    private static long Round(double cells) => Math.Max(0, (long)Math.Round(cells));
}
