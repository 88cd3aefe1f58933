using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_fm_banks on its own: lint-clean, and in Icarus against a C# model of one flat memory
/// accessed BANKS words at a time (consecutive, or a stride apart): $readmemh initialization (words beyond the
/// file read as zero), one cycle of read latency, read-before-write on both ports, per-word
/// write enables with one per-bit mask, word addresses wrapping modulo 2^ABITS, and words at
/// or beyond DEPTH reading as zero and never written (accesses near the end, past DEPTH and
/// across 2^ABITS are drawn on purpose).
/// </summary>
public sealed class FmBanksTests
{
    [Theory]
    [InlineData(12, 4, 10, 4)]
    [InlineData(64, 1, 1, 1)]
    [InlineData(8, 8, 37, 6)]
    [InlineData(6, 2, 5, 3)]
    public void Lints_clean(int dw, int banks, int depth, int abits) =>
        Lint("bnn_fm_banks", ["bnn_fm_banks.v"],
            [("DW", S(dw)), ("BANKS", S(banks)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("INIT", "\"image.memh\"")]);

    [Theory]
    [InlineData(12, 1, 10, 4)]   // one word per access: a plain dual-port RAM
    [InlineData(6, 2, 13, 4)]
    [InlineData(10, 4, 23, 5)]
    [InlineData(5, 8, 37, 6)]    // DW not a multiple of 4: each word prints on its own
    public void Accesses_consecutive_words_and_guards_the_end(int dw, int banks, int depth, int abits)
    {
        var r = SeededRandom.For(banks * 100 + depth, "fm banks ops");
        int inFile = depth * 2 / 3, top = (1 << abits) - 1;
        var mem = Enumerable.Range(0, depth).Select(a => a < inFile ? RandomBits(r, dw) : BigInteger.Zero).ToArray();
        var init = Memh(mem.Take(inFile), dw);
        // Word i of an access at addr with stride st is address (addr + i st) mod 2^ABITS.
        BigInteger Word(int a) => a < depth ? mem[a] : BigInteger.Zero;
        string Words(int addr, int st) => string.Join(" ", Enumerable.Range(0, banks).Select(i => Hex(Word((addr + i * st) & top), dw)));
        // Consecutive words mostly; now and then a stride of 1 modulo the banks (the vertical walk).
        int Stride() => r.Next(0, 2) == 0 ? (banks + 1 + (int)r.Next(0, 2) * banks) & top : 1;
        var ops = new List<BigInteger>();
        var expected = new List<string>();
        // Read every address first (initial contents, the last accesses running past DEPTH),
        // then random cycles: port B often near the end, now and then past DEPTH; port A often
        // overlapping the words port B writes in the same cycle.
        for (int k = 0; k < depth + 300; k++)
        {
            int bAddr = k < depth ? depth - 1 - k
                : r.Next(0, 3) == 0 ? (int)r.Next(Math.Max(0, depth - banks), top)
                : (int)r.Next(0, depth - 1);
            int aAddr = k < depth ? k
                : r.NextBool() ? Math.Clamp(bAddr + (int)r.Next(1 - banks, banks - 1), 0, top)
                : (int)r.Next(0, top);
            int aStride = k < depth ? 1 : Stride(), bStride = k < depth ? 1 : Stride();
            bool we = k >= depth && r.NextBool();
            int wen = r.Next(0, 3) == 0 ? (1 << banks) - 1 : (int)r.Next(0, (1 << banks) - 1);
            var wdata = Enumerable.Range(0, banks).Select(_ => RandomBits(r, dw)).ToArray();
            var wmask = r.Next(0, 3) == 0 ? Ones(dw) : RandomBits(r, dw);
            BigInteger packed = (we ? 1 : 0) << banks | wen;
            packed = ((((packed << abits | aAddr) << abits | aStride) << abits | bAddr) << abits | bStride) << (banks * dw);
            for (int i = 0; i < banks; i++) packed |= wdata[i] << (i * dw);
            ops.Add(packed << dw | wmask);
            expected.Add(Words(aAddr, aStride) + " | " + Words(bAddr, bStride));
            for (int i = 0; i < banks; i++)
            {
                int at = (bAddr + i * bStride) & top;
                if (we && (wen >> i & 1) == 1 && at < depth)
                    mem[at] = (mem[at] & (Ones(dw) ^ wmask)) | (wdata[i] & wmask);
            }
        }
        var lines = Simulate("tb_fm_banks.v", ["bnn_fm_banks.v"],
            [("DW", S(dw)), ("BANKS", S(banks)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("COUNT", S(ops.Count))],
            new Dictionary<string, string>
            {
                ["init.memh"] = init,
                ["ops.memh"] = Memh(ops, 1 + banks + 4 * abits + banks * dw + dw),
            });
        // Icarus warns once that the image is shorter than the memory (on purpose here).
        Assert.Matches(@"^WARNING: .*bnn_fm_banks\.v:\d+: \$readmemh\(init\.memh\): Not enough words in the file for the requested range", lines[0]);
        Assert.Equal(expected, lines[1..]);
    }
}
