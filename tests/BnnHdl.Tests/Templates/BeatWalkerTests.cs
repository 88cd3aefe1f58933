using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_beat_walker and bnn_pe_array on their own: lint-clean without segments, with segments
/// and banks, S not a power of two, a single lane. (The addresses and beats they produce are
/// checked bit for bit and cycle for cycle by every co-simulation.)
/// </summary>
public sealed class BeatWalkerTests
{
    [Theory]
    [InlineData(8, 1, 3, 3)]
    [InlineData(64, 16, 6, 6)]
    [InlineData(96, 16, 7, 7)]
    [InlineData(6, 2, 3, 4)]
    [InlineData(1, 1, 1, 1)]
    public void Walker_lints_clean(int s, int fb, int lnw0, int lnw)
    {
        int smw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)fb) + 1);
        Lint("bnn_beat_walker", ["bnn_beat_walker.v"],
        [
            ("S", S(s)), ("CW", "12"), ("FM_AW", "14"), ("WM_AW", "10"), ("FB", S(fb)), ("PW", "3"), ("OHW", "8"), ("OWW", "8"),
            ("KHW", "5"), ("KWW", "5"), ("NCBW", "5"), ("NCKW", "7"), ("BKW", "2"), ("SMW", S(smw)), ("LLW", S(lnw0)), ("LHW", S(lnw0 + 1)),
            ("LNW0", S(lnw0)), ("LNW", S(lnw)), ("PMW", S(smw + 1)), ("XGW", "10"), ("WCW", "6"),
        ]);
    }

    [Theory]
    [InlineData(4, 8, 1, 1, 1)]
    [InlineData(64, 64, 16, 32, 1)]
    [InlineData(12, 96, 2, 16, 4)]
    [InlineData(1, 2, 2, 2, 1)]
    public void Pe_array_lints_clean(int p, int s, int segs, int fb, int pegs)
    {
        const int aw = 16, xw = 16, wiw = 6, llw = 7;
        int smw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)segs) + 1);
        int pgw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)pegs) + 1);
        int slots = segs * pegs;
        Lint("bnn_pe_array", ["bnn_pe_array.v", "bnn_seg_input.v", "bnn_pe.v", "bnn_popcount.v", "bnn_accum.v"],
        [
            ("P", S(p)), ("S", S(s)), ("AW", S(aw)), ("XW", S(xw)), ("PW", "3"), ("BW", "3"), ("SEGS", S(segs)), ("PEGS", S(pegs)),
            ("SLOTS", S(slots)), ("FB", S(fb)), ("FBS", S(fb * s)), ("WIW", S(wiw)), ("SMW", S(smw)), ("PGW", S(pgw)), ("LLW", S(llw)),
            ("LSW", S(llw)), ("LNW", S(llw)), ("KWW", "5"), ("BKW", "2"), ("SKW", "2"), ("SBCW", "2"), ("PS", S(p * s)),
            ("PSA", S(p * segs * aw)), ("PXW", S(p * xw)), ("PAW", S(p * aw)), ("SX", S(segs * xw)), ("SS", S(slots * s)), ("SI", S(slots * wiw)),
        ]);
    }
}
