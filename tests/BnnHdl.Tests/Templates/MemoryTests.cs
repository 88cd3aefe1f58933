using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_rom on its own: lint-clean, $readmemh initialization with the words beyond the file
/// reading as zero, one cycle of read latency and data held while the address is held, in
/// Icarus against a C# model (the feature memory, bnn_fm_banks, has FmBanksTests).
/// </summary>
public sealed class MemoryTests
{
    [Theory]
    [InlineData("bnn_rom", 4096, 300, 9)]
    [InlineData("bnn_rom", 1, 2, 1)]
    public void Lints_clean(string module, int dw, int depth, int abits) =>
        Lint(module, [module + ".v"], [("DW", S(dw)), ("DEPTH", S(depth)), ("ABITS", S(abits)), ("INIT", "\"image.memh\"")]);

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
