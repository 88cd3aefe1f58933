using System.Numerics;
using BnnHdl.Emit;

namespace BnnHdl.Reports;

/// <summary>
/// The shape and datapath widths every engine module is instantiated with: the generated
/// top's parameters (<see cref="RtlParameters"/>) and the widths bnn_engine.v derives from
/// them and from the program word's fields (its localparams XW, QW, PW, BW and the PE's CW).
/// The gate model (<see cref="GateEstimate"/>) sizes each module from these; the formulas
/// here follow the template's, so a change there is a change here.
/// </summary>
public sealed record EngineWidths(
    int P, int S, int Segments, int PeGroups, int Banks,
    int AccumulatorBits, int ThresholdBits, int ThresholdSlots,
    int WorkBits, int CountBits, int PlaneBits, int BroadcastBits, int PopcountBits,
    int ScBits, int SaBits, int SbBits, int ResPlaneBits, int Lane0Bits, int ResLane0Bits,
    int LaneLoBits, int SxStepBits, int BcWordStepBits, int PositionCountBits, int ProgramWordBits, int TileWordBits, int CoordinateBits)
{
    public static EngineWidths Of(RtlParameters rtl)
    {
        var pm = rtl.Words.Program;
        int Field(string name) => pm[name].Width;
        int aw = rtl.AccumulatorBits, tw = rtl.ThresholdBits;
        int xw = Math.Max(aw, tw);                                     // XW
        int qw = Math.Max(2, Field("n_thr"));                          // QW
        int bw = Math.Min(aw, (1 << Field("bc_k")) - 1);               // BW
        return new EngineWidths(
            rtl.P, rtl.S, rtl.Segments, rtl.PeGroups, rtl.Banks, aw, tw, rtl.ThresholdSlots,
            xw, qw, Field("in_k"), bw, Clog2(rtl.S + 1),
            Field("sc"), Field("sa"), Field("sb"), Field("res_k"),
            rtl.Words.Tile["lane0"].Width, rtl.Words.Tile["res_lane0"].Width, rtl.Words.Tile["lane_lo"].Width,
            Field("sx_step"), Field("bc_word_step"), Field("ow") + 2,   // XGW
            pm.Bits, rtl.Words.Tile.Bits, rtl.CoordinateBits);
    }

    /// <summary>SEGS x PEGS: the most positions a beat computes.</summary>
    public int Slots => Segments * PeGroups;

    /// <summary>$clog2 of Verilog: the bits that index n values (0 for n = 1).</summary>
    public static int Clog2(int n) => n <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(n - 1));

    public static int Log2(int powerOfTwo) => BitOperations.Log2((uint)powerOfTwo);
}
