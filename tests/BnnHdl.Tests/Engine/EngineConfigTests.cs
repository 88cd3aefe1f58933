using BnnHdl.Engine;

namespace BnnHdl.Tests.Engine;

public sealed class EngineConfigTests
{
    [Theory]
    [InlineData(4, 8)]
    [InlineData(64, 64)]
    [InlineData(3, 96)]
    [InlineData(1, 1)]
    public void Accepts_valid_shapes(int p, int s)
    {
        var c = new EngineConfig(p, s);
        Assert.Equal((p, s, 8), (c.P, c.S, c.MaxActivationBits));
    }

    [Theory]
    [InlineData(0, 8, 8, "engine configuration 0x8 (P x S): P must be at least 1")]
    [InlineData(8, 4, 8, "engine configuration 8x4 (P x S): P must not exceed S")]
    [InlineData(3, 8, 8, "engine configuration 3x8 (P x S): S must be a multiple of P")]
    [InlineData(4, 0, 8, "engine configuration 4x0 (P x S): S must be at least 1")]
    [InlineData(0, 0, 9, "engine configuration 0x0 (P x S): P must be at least 1; S must be at least 1; maximum activation bits must be 1 to 8")]
    public void Rejects_invalid_shapes_with_one_line(int p, int s, int bits, string message)
    {
        var e = Assert.Throws<BnnHdlException>(() => new EngineConfig(p, s, bits));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(3, 1, "engine configuration 64x64 (P x S): segments must be a power of two")]
    [InlineData(128, 1, "engine configuration 64x64 (P x S): segments must divide S")]
    [InlineData(4, 3, "engine configuration 64x64 (P x S): banks must be a power of two up to 64")]
    [InlineData(0, 128, "engine configuration 64x64 (P x S): segments must be a power of two; banks must be a power of two up to 64")]
    public void Rejects_invalid_segments_and_banks_with_one_line(int segments, int banks, string message)
    {
        var e = Assert.Throws<BnnHdlException>(() => new EngineConfig(64, 64, segments: segments, banks: banks));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Names_segments_and_banks_only_when_used()
    {
        Assert.Equal("64x64", new EngineConfig(64, 64).ToString());
        Assert.Equal("64x64 segments 4 banks 8", new EngineConfig(64, 64, segments: 4, banks: 8).ToString());
        Assert.Equal("4x8 banks 2", new EngineConfig(4, 8, banks: 2).ToString());
    }

    [Fact]
    public void Parses_the_option_spelling()
    {
        Assert.Equal(new EngineConfig(16, 32), EngineConfig.Parse("16x32"));
        Assert.Equal("16x32", EngineConfig.Parse("16X32").ToString());
        Assert.Equal("'16*32' is not an engine configuration: expected PxS, e.g. 16x32",
            Assert.Throws<BnnHdlException>(() => EngineConfig.Parse("16*32")).Message);
        Assert.Equal("engine configuration 16x8 (P x S): P must not exceed S",
            Assert.Throws<BnnHdlException>(() => EngineConfig.Parse("16x8")).Message);
    }
}
