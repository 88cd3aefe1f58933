using System.Text;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Golden;

public class InputImagesTests
{
    private static readonly TensorInfo Rgb2x3 = TensorInfo.Of("input", new Shape(3, 2, 3), DataType.U(8));
    private static readonly TensorInfo Gray2x2 = TensorInfo.Of("input", new Shape(1, 2, 2), DataType.U(8));

    private static byte[] Bytes(string header, params byte[] raster) => [.. Encoding.ASCII.GetBytes(header), .. raster];

    private static TensorData Read(byte[] file, TensorInfo input, string name = "img.pnm")
    {
        string dir = GoldenTestData.TempDir("pnm");
        try
        {
            string path = Path.Combine(dir, "image");
            File.WriteAllBytes(path, file);
            return InputImages.ReadPnm(path, name, input);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string Error(byte[] file, TensorInfo input, string name = "img.pnm") =>
        Assert.Throws<BnnHdlException>(() => Read(file, input, name)).Message;

    [Fact]
    public void RawPpmBecomesChannelsFirst()
    {
        // Pixels (R, G, B) row by row: (1,2,3) (4,5,6) (7,8,9) / (10,11,12) (13,14,15) (16,17,18).
        var t = Read(Bytes("P6\n# a comment\n3 2\n255\n", Enumerable.Range(1, 18).Select(i => (byte)i).ToArray()), Rgb2x3);
        Assert.Equal(new Shape(3, 2, 3), t.Shape);
        Assert.Equal(DataType.U(8), t.Type);
        Assert.Equal([1, 4, 7, 10, 13, 16, 2, 5, 8, 11, 14, 17, 3, 6, 9, 12, 15, 18], t.Values);
    }

    [Fact]
    public void RawPgmWithMaxval255KeepsSamples()
    {
        var t = Read(Bytes("P5 2 2 255 ", 0, 128, 255, 7), Gray2x2);
        Assert.Equal([0, 128, 255, 7], t.Values);
    }

    [Fact]
    public void PlainFormatsAndMaxvalScalingRoundHalfUp()
    {
        // maxval 2: 0 -> 0, 1 -> 127.5 -> 128, 2 -> 255; maxval 4: 1 -> 63.75 -> 64, 3 -> 191.25 -> 191.
        var gray = Read(Bytes("P2\n2 2\n2\n0 1 # comment inside the raster\n2\n1\n"), Gray2x2);
        Assert.Equal([0, 128, 255, 128], gray.Values);
        var rgb = Read(Bytes("P3 3 2 4\n0 1 2  3 4 0  0 0 0\n4 4 4  1 1 1  3 3 3\n"), Rgb2x3);
        Assert.Equal([0, 191, 0, 255, 64, 191, 64, 255, 0, 255, 64, 191, 128, 0, 0, 255, 64, 191], rgb.Values);
    }

    [Fact]
    public void ScalingIsExactAtEveryMaxval()
    {
        for (int maxval = 1; maxval <= 255; maxval++)
            for (int v = 0; v <= maxval; v++)
                Assert.Equal((int)Math.Floor(v * 255.0 / maxval + 0.5), PnmReader.Scale(v, maxval));
    }

    [Fact]
    public void ErrorsNameTheFileAndTheProblem()
    {
        Assert.Equal("image 'x.png': not a PNM file (a PGM or PPM image starts with P2, P3, P5 or P6)",
            Error([0x89, (byte)'P', (byte)'N', (byte)'G'], Gray2x2, "x.png"));
        Assert.Equal("image 'img.pnm': not a PNM file (a PGM or PPM image starts with P2, P3, P5 or P6)",
            Error(Bytes("P65 2 2 255\n"), Gray2x2));
        Assert.Equal("image 'a.pbm': P4 (PBM bitmap) is not supported; use an 8-bit PGM (P2, P5) or PPM (P3, P6)",
            Error(Bytes("P4 2 2\n", 0, 0), Gray2x2, "a.pbm"));
        Assert.Equal("image 'img.pnm': bad header: height is missing", Error(Bytes("P5 2"), Gray2x2));
        Assert.Equal("image 'img.pnm': bad header: width 'two' is not a positive integer", Error(Bytes("P5 two 2 255\n"), Gray2x2));
        Assert.Equal("image 'img.pnm': bad header: maxval '0' is not a positive integer", Error(Bytes("P5 2 2 0\n"), Gray2x2));
        Assert.Equal("image 'img.pnm': bad header: maxval must be followed by one whitespace character",
            Error(Bytes("P5 2 2 255#x\n", 1, 2, 3, 4), Gray2x2));
        Assert.Equal("image 'img.pnm': maxval 65535 is not supported (8-bit images only: maxval 1..255)",
            Error(Bytes("P5 2 2 65535\n", 0, 0, 0, 0, 0, 0, 0, 0), Gray2x2));
        Assert.Equal("image 'img.pnm': truncated pixel data: expected 4 bytes, found 3", Error(Bytes("P5 2 2 255\n", 1, 2, 3), Gray2x2));
        Assert.Equal("image 'img.pnm': truncated pixel data: expected 4 bytes, found 0", Error(Bytes("P5 2 2 255"), Gray2x2));
        Assert.Equal("image 'img.pnm': truncated pixel data: expected 4 samples, found 3", Error(Bytes("P2 2 2 255\n1 2 3\n"), Gray2x2));
        Assert.Equal("image 'img.pnm': bad pixel data: sample 1 'x7' is not a number", Error(Bytes("P2 2 2 255\n1 x7 3 4\n"), Gray2x2));
        Assert.Equal("image 'img.pnm': sample 2 is 9, above maxval 8", Error(Bytes("P2 2 2 8\n1 2 9 4\n"), Gray2x2));
        Assert.Equal("image 'img.pnm': sample 1 is 200, above maxval 100", Error(Bytes("P5 2 2 100\n", 1, 200, 3, 4), Gray2x2));
        Assert.Equal("image 'missing.ppm': file not found",
            Assert.Throws<BnnHdlException>(() => InputImages.ReadPnm("/nonexistent/missing.ppm", "missing.ppm", Rgb2x3)).Message);
    }

    [Fact]
    public void ImageMustMatchTheNetworkInput()
    {
        Assert.Equal("image 'img.pnm': has 1 channel (PGM) but the network input has 3 channels",
            Error(Bytes("P5 3 2 255\n", 1, 2, 3, 4, 5, 6), Rgb2x3));
        Assert.Equal("image 'img.pnm': has 3 channels (PPM) but the network input has 1 channel",
            Error(Bytes("P6 2 2 255\n", new byte[12]), Gray2x2));
        Assert.Equal("image 'img.pnm': is 3x2 (HxW) but the network input is 2x3; resize the image or pass --input 3,3,2",
            Error(Bytes("P6 2 3 255\n", new byte[18]), Rgb2x3));
        Assert.Equal("image 'img.pnm': the network input 'input' is U4; an image can only feed a U8 input",
            Error(Bytes("P5 2 2 255\n", 1, 2, 3, 4), TensorInfo.Of("input", new Shape(1, 2, 2), DataType.U(4))));
    }

    [Fact]
    public void RandomInputIsSeededAndCoversTheType()
    {
        var u8 = TensorInfo.Of("input", new Shape(3, 16, 16), DataType.U(8));
        var a = InputImages.Random(u8, 5);
        Assert.Equal(a, InputImages.Random(u8, 5));
        Assert.NotEqual(a, InputImages.Random(u8, 6));
        Assert.Equal(0, a.Values.Min());
        Assert.Equal(255, a.Values.Max());
        Assert.True(a.Values.Distinct().Count() > 200);

        var bip = InputImages.Random(TensorInfo.Of("input", new Shape(2, 4, 4), DataType.B), 5);
        Assert.Equal([-1L, 1L], bip.Values.Distinct().Order());
        Assert.Equal(DataType.B, bip.Type);
    }
}
