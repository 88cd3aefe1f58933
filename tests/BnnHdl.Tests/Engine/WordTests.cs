using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>Wide words, descriptor layouts and the feature-memory tensor layout.</summary>
public sealed class WordTests
{
    [Fact]
    public void Fields_cross_chunk_boundaries()
    {
        var word = new ulong[3];
        WideBits.Set(word, 60, 10, 0x3ff);
        Assert.Equal((0xfUL << 60, 0x3fUL), (word[0], word[1]));
        WideBits.Set(word, 62, 64, 0x8000_0000_0000_0001);
        Assert.Equal(0x8000_0000_0000_0001UL, WideBits.Get(word, 62, 64));
        Assert.Equal(0x3UL << 60 | 1UL << 62, word[0] & (0xfUL << 60));
        WideBits.Set(word, 130, 5, 0b10110);
        Assert.Equal(-10, WideBits.GetSigned(word, 130, 5));
        Assert.Equal(0b10110UL, WideBits.Get(word, 130, 5));
    }

    [Fact]
    public void Hex_is_most_significant_digit_first_with_ceil_bits_over_four_digits()
    {
        var word = new ulong[2];
        WideBits.Set(word, 0, 4, 0xa);
        WideBits.Set(word, 64, 6, 0x25);
        Assert.Equal("25" + "000000000000000a", WideBits.Hex(word, 70));
        // A 3-bit word shows only its 3 bits: 0xa & 0b111 = 2.
        Assert.Equal("2", WideBits.Hex(word, 3));
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(-1, 0, 1)]
    [InlineData(0, 1, 2)]
    [InlineData(-6, 16, 6)]
    [InlineData(-16, 15, 5)]
    [InlineData(-17, 15, 6)]
    [InlineData(long.MinValue, long.MaxValue, 64)]
    public void Signed_width(long min, long max, int bits) => Assert.Equal(bits, WideBits.SignedWidth(min, max));

    [Fact]
    public void Layout_widths_come_from_the_largest_value()
    {
        var layout = WordLayout.For(new List<IReadOnlyList<(string, long)>> { new[] { ("a", 5L), ("b", 0L), ("c", 1L) }, new[] { ("a", 2L), ("b", 0L), ("c", 256L) } });
        Assert.Equal([new FieldSlot("a", 0, 3), new FieldSlot("b", 3, 1), new FieldSlot("c", 4, 9)], layout.Fields);
        Assert.Equal(13, layout.Bits);
        var word = new ulong[1];
        layout.Pack([("a", 5), ("b", 0), ("c", 256)], word);
        Assert.Equal(5UL | 256UL << 4, word[0]);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 0, ["c"] = 256 }, layout.Unpack(word));
        Assert.Throws<InvalidOperationException>(() => layout.Pack([("a", 8), ("b", 0), ("c", 0)], word));
    }

    [Fact]
    public void Tensors_of_every_type_round_trip_through_feature_memory()
    {
        var r = SeededRandom.For(5, "fm layout");
        DataType[] types = [.. QuantizedTypes, DataType.I(1), DataType.I(7), DataType.I(33)];
        foreach (var type in types)
            foreach (int s in new[] { 1, 8, 96 })
            {
                var shape = new Shape(Between(r, 1, 200), Between(r, 1, 4), Between(r, 1, 4));
                var values = Enumerable.Range(0, (int)shape.Size)
                    .Select(_ => type.IsBipolar ? (r.NextBool() ? 1L : -1L) : r.Next(type.Min, type.Max)).ToArray();
                var tensor = BnnHdl.Reference.TensorData.Create(shape, type, values);
                var region = new FmRegion("t", type, shape, 3, (shape.C + s - 1) / s, type.StoredBits, 0, 0);
                var fm = new ulong[(region.Limit + 2) * WideBits.Chunks(s)];
                FeatureLayout.Store(tensor, region, s, fm);
                Assert.Equal(tensor, FeatureLayout.Load(fm, region, s));
                // Nothing outside the region, and no lane of a channel >= C, is touched.
                Assert.All(fm.AsSpan(0, 3 * WideBits.Chunks(s)).ToArray(), w => Assert.Equal(0UL, w));
                if (shape.C % s != 0)
                    Assert.Equal(0UL, WideBits.Get(fm.AsSpan(region.Address(0, 0, region.ChannelBlocks - 1, 0) * WideBits.Chunks(s), WideBits.Chunks(s)), shape.C % s, 1));
            }
    }

    [Fact]
    public void The_input_must_fit_the_program()
    {
        var b = new NetworkBuilder("n");
        var x = b.Input(2, 3, 3, DataType.U(2));
        b.Output(b.Conv2d(x, 2, 1));
        var program = LoweringPipeline.Lower(FillParameters(b.Build(), SeededRandom.For(1, "n")), new EngineConfig(2, 2));
        var wrong = Tensor(SeededRandom.For(2, "n"), new Shape(2, 3, 3), DataType.U(3));
        Assert.Equal("network 'n': input 'input' expects a 2x3x3 U2 tensor, got 2x3x3 U3",
            Assert.Throws<BnnHdlException>(() => program.FeatureImage(wrong)).Message);
    }
}
