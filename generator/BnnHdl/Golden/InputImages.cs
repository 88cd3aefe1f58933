using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Golden;

/// <summary>Network inputs for golden runs: a seeded random tensor, or an 8-bit PGM/PPM image.</summary>
public static class InputImages
{
    /// <summary>Values uniform over the input type's range (B as -1/+1), from the seed alone.</summary>
    public static TensorData Random(TensorInfo input, long seed)
    {
        var random = SeededRandom.For(seed, input.Name + "/input");
        var type = input.Type;
        var values = new long[input.Shape.Size];
        for (long i = 0; i < values.LongLength; i++)
            values[i] = type.IsBipolar ? (random.NextBool() ? 1 : -1) : random.Next(type.Min, type.Max);
        return TensorData.Create(input.Shape, type, values);
    }

    /// <summary>
    /// Reads a PGM (1 channel) or PPM (3 channels) file as a C x H x W U8 tensor for
    /// <paramref name="input"/> (see <see cref="PnmReader"/> for the formats and the maxval
    /// scaling). <paramref name="displayName"/> is the path as the user gave it, for messages.
    /// </summary>
    public static TensorData ReadPnm(string path, string displayName, TensorInfo input)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BnnHdlException($"image '{displayName}': file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BnnHdlException($"image '{displayName}': cannot read it: {e.Message}");
        }
        return FromImage(PnmReader.Decode(data, displayName), displayName, input);
    }

    /// <summary>Checks the image against the network input and reorders it to channels-first.</summary>
    public static TensorData FromImage(PnmImage image, string displayName, TensorInfo input)
    {
        var shape = input.Shape;
        if (input.Type != DataType.U(8))
            throw new BnnHdlException($"image '{displayName}': the network input '{input.Name}' is {input.Type}; an image can only feed a U8 input");
        if (image.Channels != shape.C)
            throw new BnnHdlException(
                $"image '{displayName}': has {Plural(image.Channels, "channel")} ({(image.Channels == 1 ? "PGM" : "PPM")}) but the network input has {Plural(shape.C, "channel")}");
        if (image.Height != shape.H || image.Width != shape.W)
            throw new BnnHdlException(
                $"image '{displayName}': is {image.Height}x{image.Width} (HxW) but the network input is {shape.H}x{shape.W}; resize the image or pass --input {shape.C},{image.Height},{image.Width}");

        var values = new long[shape.Size];
        int positions = shape.Positions;
        for (int p = 0; p < positions; p++)
            for (int c = 0; c < shape.C; c++)
                values[(long)c * positions + p] = image.Samples[p * shape.C + c];
        return TensorData.Create(shape, input.Type, values);
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
