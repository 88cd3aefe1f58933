using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_sram and bnn_rom on their own: lint-clean, $readmemh initialization with the words
/// beyond the file reading as zero, one cycle of read latency, read-before-write on both
/// SRAM ports (port A reads, port B reads and writes), and per-bit masked writes, in Icarus
/// against a C# model.
/// </summary>
public sealed class MemoryTests
{
    [Theory]
    [InlineData("bnn_sram", 12, 10, 4)]
    [InlineData("bnn_sram", 64, 1, 1)]
    [InlineData("bnn_rom", 4096, 300, 9)]
    [InlineData("bnn_rom", 1, 2, 1)]
    public void Lints_clean(string module, int dw, int depth, int abits) =>
        Lint(module, [module + ".v"], [("DW", S(dw)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("INIT", "\"image.memh\"")]);

    [Fact]
    public void Sram_writes_only_masked_bits_and_both_ports_read_the_old_word()
    {
        const int dw = 12, depth = 10, abits = 4;
        var r = SeededRandom.For(3, "sram ops");
        // The file covers words 0..5; words 6..9 start as zero.
        var mem = Enumerable.Range(0, depth).Select(a => a < 6 ? RandomBits(r, dw) : BigInteger.Zero).ToArray();
        var init = Memh(mem.Take(6), dw);
        var ops = new List<BigInteger>();
        var expected = new List<string>();
        // Read every word first (initial contents), then random masked writes and reads; port A
        // often reads the word port B writes in the same cycle.
        for (int k = 0; k < depth + 300; k++)
        {
            int addr = k < depth ? k : (int)r.Next(0, depth - 1);
            int aAddr = k < depth ? depth - 1 - k : r.NextBool() ? addr : (int)r.Next(0, depth - 1);
            bool we = k >= depth && r.NextBool();
            var wdata = RandomBits(r, dw);
            var wmask = r.Next(0, 4) == 0 ? Ones(dw) : RandomBits(r, dw);
            ops.Add(((((((we ? BigInteger.One : 0) << abits | aAddr) << abits | addr) << dw) | wdata) << dw) | wmask);
            expected.Add(Hex(mem[aAddr], dw) + " " + Hex(mem[addr], dw));
            if (we) mem[addr] = (mem[addr] & (Ones(dw) ^ wmask)) | (wdata & wmask);
        }
        var lines = Simulate("tb_sram.v", ["bnn_sram.v"],
            [("DW", S(dw)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("COUNT", S(ops.Count))],
            new Dictionary<string, string> { ["init.memh"] = init, ["ops.memh"] = Memh(ops, 1 + abits + abits + dw + dw) });
        Assert.Equal(expected, WithoutShortFileWarning(lines, "bnn_sram.v"));
    }

    [Fact]
    public void Rom_reads_one_cycle_late_and_holds_its_data()
    {
        const int dw = 20, depth = 9, abits = 4;
        var r = SeededRandom.For(4, "rom image");
        var mem = Enumerable.Range(0, depth).Select(a => a < 7 ? RandomBits(r, dw) : BigInteger.Zero).ToArray();
        int[] addrs = [0, 3, 3, 3, 8, 7, 6, 1, 1, 5, 2, 4];
        var expected = new List<string>();
        string before = new('x', (dw + 3) / 4);   // nothing read yet
        foreach (int a in addrs)
        {
            expected.Add(before);                  // the new address shows only after the edge
            before = Hex(mem[a], dw);
            expected.Add(before);
        }
        var lines = Simulate("tb_rom.v", ["bnn_rom.v"],
            [("DW", S(dw)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("COUNT", S(addrs.Length))],
            new Dictionary<string, string>
            {
                ["init.memh"] = Memh(mem.Take(7), dw),
                ["addrs.memh"] = Memh(addrs.Select(a => new BigInteger(a)), abits),
            });
        Assert.Equal(expected, WithoutShortFileWarning(lines, "bnn_rom.v"));
    }

    /// <summary>
    /// Icarus says so when an image has fewer words than the memory (the emitter always
    /// writes every word; these tests use short files on purpose): exactly that one warning.
    /// </summary>
    private static string[] WithoutShortFileWarning(string[] lines, string module)
    {
        Assert.Matches($@"^WARNING: .*{module}:\d+: \$readmemh\(init\.memh\): Not enough words in the file for the requested range", lines[0]);
        return lines[1..];
    }
}
