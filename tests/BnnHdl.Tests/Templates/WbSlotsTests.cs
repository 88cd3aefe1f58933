using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_wb_slots on its own: lint-clean without segments, with segments, with PE groups, S not
/// a power of two, a single PE. (What it writes is checked bit for bit by the co-simulations
/// of segmented and grouped engines.)
/// </summary>
public sealed class WbSlotsTests
{
    [Theory]
    [InlineData(4, 8, 1, 1, 1)]
    [InlineData(16, 32, 4, 1, 8)]
    [InlineData(16, 32, 4, 4, 16)]
    [InlineData(12, 96, 2, 4, 16)]
    [InlineData(1, 2, 2, 1, 2)]
    public void Lints_clean(int p, int s, int segs, int pegs, int fb)
    {
        const int aw = 12, tw = 10, ts = 3, qw = 2, wiw = 6, xgw = 8;
        int tml = ts * tw + 1, slots = segs * pegs;
        int Bits(int n) => Math.Max(1, System.Numerics.BitOperations.Log2((uint)n) + 1);
        Lint("bnn_wb_slots", ["bnn_wb_slots.v", "bnn_wb_segment.v", "bnn_wb_lane.v", "bnn_channel_pool.v", "bnn_popcount.v"],
        [
            ("P", S(p)), ("S", S(s)), ("AW", S(aw)), ("XW", S(aw)), ("TW", S(tw)), ("TS", S(ts)), ("TML", S(tml)), ("TMW", S(p * tml)),
            ("QW", S(qw)), ("QALL", S(p * qw)), ("PAW", S(p * aw)), ("PXW", S(p * aw)),
            ("NTW", "2"), ("SCW", "2"), ("SKW", "1"), ("SAW", "2"), ("SBW", "2"), ("RPW", "2"), ("XIW", "4"), ("QIW", "1"), ("OPW", "4"),
            ("SEGS", S(segs)), ("PEGS", S(pegs)), ("SLOTS", S(slots)), ("FB", S(fb)), ("FBS", S(fb * s)), ("WRW", S(fb * s + fb)),
            ("WIW", S(wiw)), ("SMW", S(Bits(segs))), ("PGW", S(Bits(pegs))), ("XGW", S(xgw)), ("L0W", S(Bits(s))), ("R0W", S(Bits(s))),
            ("XCW", "2"), ("SA", S(segs * aw)), ("PSA", S(p * segs * aw)), ("SS", S(slots * s)), ("SI", S(slots * wiw)),
        ]);
    }
}
