using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_seg_input on its own: lint-clean with and without segments, S not a power of two, a
/// single PE. (What it routes is checked bit for bit by the segmented co-simulations.)
/// </summary>
public sealed class SegInputTests
{
    [Theory]
    [InlineData(4, 8, 1, 1, 3)]
    [InlineData(64, 64, 4, 8, 6)]
    [InlineData(8, 96, 8, 16, 7)]
    [InlineData(1, 2, 2, 2, 1)]
    public void Lints_clean(int p, int s, int segs, int fb, int llw)
    {
        const int wiw = 6;
        int smw = Math.Max(1, System.Numerics.BitOperations.Log2((uint)segs) + 1);
        Lint("bnn_seg_input", ["bnn_seg_input.v"],
        [
            ("P", S(p)), ("S", S(s)), ("SEGS", S(segs)), ("FB", S(fb)), ("FBS", S(fb * s)), ("WIW", S(wiw)), ("SMW", S(smw)),
            ("LLW", S(llw)), ("LSW", S(llw)), ("PS", S(p * s)), ("SS", S(segs * s)), ("SI", S(segs * wiw)),
        ]);
    }
}
