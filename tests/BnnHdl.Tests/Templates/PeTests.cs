using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_pe (AND + popcount + shift-by-plane accumulate) and bnn_accum (AW >= CW) on their own: lint-clean,
/// and in Icarus every accumulator value equals the C# model of
/// sum = (first ? 0 : sum) +/- (term &lt;&lt; plane) mod 2^AW (term = popcount(act AND wgt), or in a
/// broadcast beat accumulator g's own element bval_g where its count is not 0; subtracted on a sign
/// plane), held when not enabled; with segments, accumulator g sums run g of the 2^seg_m runs of
/// S >> seg_m lanes alone.
/// </summary>
public sealed class PeTests
{
    [Theory]
    [InlineData(1, 4, 1)]
    [InlineData(8, 16, 3)]
    [InlineData(64, 24, 4)]
    public void Pe_lints_clean(int s, int aw, int pw) =>
        Lint("bnn_pe", ["bnn_pe.v", "bnn_popcount.v", "bnn_accum.v"], [("S", S(s)), ("AW", S(aw)), ("PW", S(pw))]);

    [Theory]
    [InlineData(64, 24, 4, 4, 2)]
    [InlineData(96, 20, 4, 8, 3)]
    [InlineData(2, 6, 1, 2, 1)]
    public void Segmented_pe_lints_clean(int s, int aw, int pw, int segs, int smw) =>
        Lint("bnn_pe", ["bnn_pe.v", "bnn_popcount.v", "bnn_accum.v"],
            [("S", S(s)), ("AW", S(aw)), ("PW", S(pw)), ("SEGS", S(segs)), ("SMW", S(smw))]);

    [Theory]
    [InlineData(4, 16, 3)]
    [InlineData(7, 7, 1)]
    public void Accum_lints_clean(int cw, int aw, int pw) =>
        Lint("bnn_accum", ["bnn_accum.v"], [("CW", S(cw)), ("AW", S(aw)), ("PW", S(pw))]);

    [Theory]
    [InlineData(8, 16, 3, 1, 1)]    // the 4x8 engine's lanes, planes of U(8) inputs
    [InlineData(64, 20, 4, 1, 1)]   // 64 lanes, a 4-bit plane index (planes 0..15)
    [InlineData(5, 6, 3, 1, 1)]     // a narrow accumulator: sums wrap modulo 2^6
    [InlineData(64, 20, 4, 4, 2)]   // up to 4 segments of 16 lanes
    [InlineData(24, 12, 3, 8, 2)]   // up to 8 segments of 3 lanes
    public void Accumulates_shifted_popcounts(int s, int aw, int pw, int segs, int smw)
    {
        const int bw = 3;
        int levels = System.Numerics.BitOperations.Log2((uint)segs);
        var r = SeededRandom.For(s * 100 + aw + segs, "pe steps");
        var steps = new List<BigInteger>();
        var expected = new List<string>();
        var sums = new BigInteger[segs];
        BigInteger modulus = BigInteger.One << aw;
        int mode = 0;
        for (int k = 0; k < 400; k++)
        {
            bool en = k == 0 || r.Next(0, 9) > 0;          // the first step starts an output
            bool first = k == 0 || r.Next(0, 7) == 0;
            bool neg = r.Next(0, 4) == 0;                  // a sign plane subtracts
            // The segment mode stays for a whole output (as in a layer).
            if (first) mode = (int)r.Next(0, Math.Min(levels, (1 << smw) - 1));
            bool bcast = r.Next(0, 3) == 0;   // a broadcast beat: bval_g where run g's AND is 1
            var bvals = Enumerable.Range(0, segs).Select(_ => (int)r.Next(0, (1 << bw) - 1)).ToArray();
            var packed = BigInteger.Zero;
            for (int g = segs - 1; g >= 0; g--) packed = packed << bw | bvals[g];
            int plane = (int)r.Next(0, (1 << pw) - 1);
            var act = RandomBits(r, s);
            var wgt = RandomBits(r, s);
            var flags = (((en ? 1 : 0) << 3) | ((first ? 1 : 0) << 2) | ((neg ? 1 : 0) << 1) | (bcast ? 1 : 0));
            steps.Add(((((((new BigInteger(flags) << smw | mode) << (bw * segs) | packed) << pw | plane) << s | act) << s) | wgt));
            int run = s >> mode;
            for (int g = 0; g < segs; g++)
            {
                int count = g < 1 << mode ? PopCount(((act & wgt) >> (g * run)) & (BigInteger.One << run) - 1) : 0;
                BigInteger term = new BigInteger(bcast ? (count != 0 ? bvals[g] : 0) : count) << plane;
                if (en) sums[g] = (((first ? 0 : sums[g]) + (neg ? -term : term)) % modulus + modulus) % modulus;
            }
            expected.Add(string.Join(" ", sums.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        var lines = Simulate("tb_pe.v", ["bnn_pe.v", "bnn_popcount.v", "bnn_accum.v"],
            [("S", S(s)), ("AW", S(aw)), ("PW", S(pw)), ("BW", S(bw)), ("SEGS", S(segs)), ("SMW", S(smw)), ("COUNT", S(steps.Count))],
            new Dictionary<string, string> { ["steps.memh"] = Memh(steps, 4 + smw + bw * segs + pw + s + s) });
        Assert.Equal(expected, lines);
    }
}
