using BnnHdl.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Tests.Emit;

/// <summary>
/// The hardware descriptor words: the lowering's fields the RTL reads, in the lowering's
/// order and widths, every value unchanged; a field the RTL needs and the lowering lacks
/// is an error; RTL parameters derived from the program.
/// </summary>
public sealed class HardwareWordsTests
{
    [Fact]
    public void Hardware_words_keep_every_value_the_rtl_reads()
    {
        var network = EmitFixtures.DenseMix;
        var program = EmitFixtures.Lower(network, 16, 32);
        var words = HardwareWords.Of(program);
        Check(program.Layout.Program, program.Images.Program, words.Program, words.ProgramImage, RtlFields.Program);
        Check(program.Layout.Tile, program.Images.Tiles, words.Tile, words.TileImage, RtlFields.Tile);
    }

    [Fact]
    public void Extra_fields_are_left_out_and_the_rest_repacked()
    {
        // A lowering layout with a field the RTL does not read between two it does.
        var layout = new WordLayout(new[] { new FieldSlot("wb", 0, 3), new FieldSlot("oc0", 3, 5), new FieldSlot("tb", 8, 4) }.ToEquatableArray(), 12);
        var image = MemoryImage.Of("tt", 12, [0b1010_10101_011UL, 0b0001_00000_111UL]);
        var (hw, hwImage) = HardwareWords.Project("tile", layout, image, ["wb", "tb"]);
        Assert.Equal(new WordLayout(new[] { new FieldSlot("wb", 0, 3), new FieldSlot("tb", 3, 4) }.ToEquatableArray(), 7), hw);
        Assert.Equal(["53", "0f"], Enumerable.Range(0, 2).Select(hwImage.Hex));
    }

    [Fact]
    public void A_field_the_rtl_reads_must_be_in_the_lowering_layout()
    {
        var layout = new WordLayout(new[] { new FieldSlot("wb", 0, 3) }.ToEquatableArray(), 3);
        var image = MemoryImage.Of("tt", 3, [5UL]);
        var e = Assert.Throws<BnnHdlException>(() => HardwareWords.Project("tile", layout, image, ["wb", "tb", "lane0"]));
        Assert.Equal("the lowering's tile word has no field 'tb', 'lane0' that the engine RTL reads", e.Message);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(1024, 10)]
    [InlineData(1025, 11)]
    public void Address_bits_cover_every_word(int words, int bits) => Assert.Equal(bits, RtlParameters.AddressBits(words));

    [Fact]
    public void Rtl_parameters_of_dense_mix()
    {
        var program = EmitFixtures.Lower(EmitFixtures.DenseMix, 4, 8);
        var r = RtlParameters.Of(program);
        var dims = program.Dimensions;
        Assert.Equal((4, 8, dims.AccumulatorBits, dims.ThresholdBits), (r.P, r.S, r.AccumulatorBits, r.ThresholdBits));
        // 16 x 16 input, pad 1: coordinates -1 .. 16 need 6 signed bits; in_h = 16 is a 5-bit field.
        Assert.Equal(6, r.CoordinateBits);
        Assert.Equal(new MemoryParameters("fm", "fm.memh", dims.FmWords, 8, RtlParameters.AddressBits(dims.FmWords)), r.Fm);
        Assert.Equal((dims.WmWords, 32), (r.Wm.Depth, r.Wm.Width));
        // Per PE: the bias, the 3 thresholds of a U2 output, the direction bit.
        Assert.Equal((dims.TmWords, 4 * (4 * dims.ThresholdBits + 1)), (r.Tm.Depth, r.Tm.Width));
        Assert.Equal(7, r.Layers);
        Assert.Equal(3, r.LayerIdBits);
    }

    private static void Check(WordLayout lowered, MemoryImage loweredImage, WordLayout hw, MemoryImage hwImage, IReadOnlyList<string> rtl)
    {
        Assert.Equal(lowered.Fields.Select(f => f.Name).Where(rtl.Contains), hw.Fields.Select(f => f.Name));
        Assert.Equal(rtl.Order(), hw.Fields.Select(f => f.Name).Order());
        Assert.Equal(loweredImage.Depth, hwImage.Depth);
        for (int a = 0; a < loweredImage.Depth; a++)
        {
            var want = lowered.Unpack(loweredImage.Word(a));
            var got = hw.Unpack(hwImage.Word(a));
            foreach (var f in hw.Fields)
            {
                Assert.Equal(lowered[f.Name].Width, f.Width);
                Assert.Equal(want[f.Name], got[f.Name]);
            }
        }
    }
}
