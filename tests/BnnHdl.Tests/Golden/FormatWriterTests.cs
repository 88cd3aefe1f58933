using System.Text;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Golden;

public class FormatWriterTests
{
    [Fact]
    public void NpyHeaderMatchesNumPysOwnBytes()
    {
        // np.save of np.zeros((2, 3), np.uint8) with NumPy 1.24 starts with exactly these 128 bytes.
        var expected = new List<byte> { 0x93 };
        expected.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        expected.AddRange([1, 0, 0x76, 0]);
        expected.AddRange(Encoding.ASCII.GetBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }" + new string(' ', 58) + "\n"));

        var bytes = NpyWriter.Encode(NpyType.UInt8, [2, 3], new long[] { 0, 1, 2, 253, 254, 255 });
        Assert.Equal(128, expected.Count);
        Assert.Equal(expected, bytes.Take(128));
        Assert.Equal(new byte[] { 0, 1, 2, 253, 254, 255 }, bytes.Skip(128));
    }

    [Fact]
    public void NpyDataIsLittleEndianAndAligned()
    {
        var i4 = NpyWriter.Encode(NpyType.Int32, [2], new long[] { -2, 0x01020304 });
        Assert.Equal(0, (i4.Length - 8) % 64);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 4, 3, 2, 1 }, i4[^8..]);
        Assert.Contains("'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", Encoding.ASCII.GetString(i4));

        var i8 = NpyWriter.Encode(NpyType.Int64, [1, 1, 1], new long[] { -1L << 40 });
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF }, i8[^8..]);
        Assert.Contains("'shape': (1, 1, 1), }", Encoding.ASCII.GetString(i8));

        var i1 = NpyWriter.Encode(NpyType.Int8, [3], new long[] { -1, 1, -1 });
        Assert.Equal(new byte[] { 0xFF, 1, 0xFF }, i1[^3..]);
        Assert.Equal(131, i1.Length);
    }

    [Fact]
    public void NpyRejectsValuesOutsideTheDtypeAndWrongCounts()
    {
        Assert.Equal("value 128 at index 1 does not fit |i1",
            Assert.Throws<ArgumentException>(() => NpyWriter.Encode(NpyType.Int8, [2], new long[] { 0, 128 })).Message);
        Assert.Equal("3 values for shape (2, 2)",
            Assert.Throws<ArgumentException>(() => NpyWriter.Encode(NpyType.UInt8, [2, 2], new long[] { 0, 1, 2 })).Message);
    }

    [Theory]
    [InlineData("U1", NpyType.UInt8)]
    [InlineData("U8", NpyType.UInt8)]
    [InlineData("B", NpyType.Int8)]
    [InlineData("I1", NpyType.Int32)]
    [InlineData("I32", NpyType.Int32)]
    [InlineData("I33", NpyType.Int64)]
    public void DtypeFollowsTheValueType(string type, NpyType expected) =>
        Assert.Equal(expected, NpyWriter.TypeFor(DataType.Parse(type)));

    [Fact]
    public void MemhOfU2()
    {
        var t = TensorData.Create(new Shape(1, 2, 2), DataType.U(2), [0, 1, 2, 3]);
        Assert.Equal("// a 1x2x2 U2\n0\n1\n2\n3\n", MemhWriter.Format("a", t));
    }

    [Fact]
    public void MemhOfBipolarIsTheStoredBit()
    {
        var t = TensorData.Create(new Shape(2, 1, 2), DataType.B, [1, -1, -1, 1]);
        Assert.Equal("// q.b 2x1x2 B\n1\n0\n0\n1\n", MemhWriter.Format("q.b", t));
    }

    [Fact]
    public void MemhOfSignedIsTwosComplementPaddedToWholeDigits()
    {
        var t = TensorData.Create(new Shape(1, 1, 5), DataType.I(5), [-16, -1, 0, 7, 15]);
        Assert.Equal("// acc 1x1x5 I5\n10\n1f\n00\n07\n0f\n", MemhWriter.Format("acc", t));
        var wide = TensorData.Create(new Shape(1, 1, 2), DataType.I(12), [-2048, 255]);
        Assert.Equal("// w 1x1x2 I12\n800\n0ff\n", MemhWriter.Format("w", wide));
        var u8 = TensorData.Create(new Shape(1, 1, 2), DataType.U(8), [10, 255]);
        Assert.Equal("// img 1x1x2 U8\n0a\nff\n", MemhWriter.Format("img", u8));
    }

    [Fact]
    public void UnevenGroupWeightsArePaddedWithZeros()
    {
        var b = new NetworkBuilder("pad");
        var x = b.Input(3, 1, 1, DataType.U(1));
        // Output 0 reads input 0; outputs 1 and 2 read inputs 1..2. Weights per output: [a], [b c], [d e].
        var c = b.Conv2d(x, 3, 1, unevenGroups: [new(0, 1, 0, 1), new(1, 3, 1, 3)],
            parameters: LayerParams.Conv([1, -1, 1, 1, -1]), name: "c");
        b.Output(c);
        var g = b.Build();
        var arrays = ParameterArrays.Of(g["c"], g.Tensor("input"));
        var w = Assert.Single(arrays);
        Assert.Equal("weights", w.Kind);
        Assert.Equal([3, 2, 1, 1], w.Shape);
        Assert.Equal([1, 0, -1, 1, 1, -1], w.Values);
        Assert.True(ParameterArrays.WeightsPadded(g["c"], g.Tensor("input")));
    }
}
