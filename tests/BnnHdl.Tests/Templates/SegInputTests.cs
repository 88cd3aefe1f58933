using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_seg_input on its own: lint-clean with and without segments, S not a power of two, a
/// single PE. (What it routes is checked bit for bit by the segmented co-simulations.)
/// </summary>
public sealed class SegInputTests
{
    [Theory]
    [InlineData(4, 8, 1, 1, 3, 1)]
    [InlineData(64, 64, 4, 8, 6, 1)]
    [InlineData(64, 64, 4, 16, 6, 2)]
    [InlineData(8, 96, 8, 16, 7, 1)]
    [InlineData(12, 96, 4, 16, 7, 4)]
    [InlineData(1, 2, 2, 2, 1, 1)]
    public void Lints_clean(int p, int s, int segs, int fb, int llw, int pegs)
    {
        const int wiw = 6;
        int smw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)segs) + 1);
        int pgw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)pegs) + 1);
        int slots = segs * pegs;
        Lint("bnn_seg_input", ["bnn_seg_input.v"],
        [
            ("P", S(p)), ("S", S(s)), ("SEGS", S(segs)), ("PEGS", S(pegs)), ("SLOTS", S(slots)), ("FB", S(fb)), ("FBS", S(fb * s)),
            ("WIW", S(wiw)), ("SMW", S(smw)), ("PGW", S(pgw)),
            ("LLW", S(llw)), ("LSW", S(llw)), ("PS", S(p * s)), ("SS", S(slots * s)), ("SI", S(slots * wiw)), ("QS", S(pegs * s)), ("ES", S(segs * s)),
        ]);
    }
}
