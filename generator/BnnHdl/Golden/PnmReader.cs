using System.Globalization;

namespace BnnHdl.Golden;

/// <summary>A decoded PNM image: samples interleaved per pixel (RGB for PPM), already scaled to 0..255.</summary>
public sealed record PnmImage(int Channels, int Height, int Width, byte[] Samples);

/// <summary>
/// Reads 8-bit Netpbm images: PGM (P2 plain, P5 raw; one channel) and PPM (P3 plain, P6 raw;
/// three channels). Header comments ('#' to the end of the line) are allowed wherever
/// whitespace is, and in the samples of plain files. Maxval 1..255: with 255 samples are used
/// as they are; otherwise each sample v is scaled to floor(v * 255 / maxval + 1/2) (rounding
/// halves up), so maxval maps to 255. Maxval above 255 (16-bit samples) is not supported.
/// Every problem is one <see cref="BnnHdlException"/> line naming the file.
/// </summary>
public static class PnmReader
{
    public static PnmImage Decode(byte[] data, string displayName)
    {
        var r = new Cursor(data, displayName);
        if (data.Length < 2 || data[0] != 'P' || data[1] < '1' || data[1] > '7' || (data.Length > 2 && !IsSpace(data[2]) && data[2] != '#'))
            throw r.Fail("not a PNM file (a PGM or PPM image starts with P2, P3, P5 or P6)");
        char kind = (char)data[1];
        if (kind is not ('2' or '3' or '5' or '6'))
            throw r.Fail($"P{kind} ({(kind is '1' or '4' ? "PBM bitmap" : "PAM")}) is not supported; use an 8-bit PGM (P2, P5) or PPM (P3, P6)");
        r.Position = 2;
        int channels = kind is '3' or '6' ? 3 : 1;
        bool plain = kind is '2' or '3';

        int width = r.HeaderNumber("width"), height = r.HeaderNumber("height"), maxval = r.HeaderNumber("maxval");
        if (maxval > 255) throw r.Fail($"maxval {maxval} is not supported (8-bit images only: maxval 1..255)");
        long count = (long)width * height * channels;
        if (count > int.MaxValue) throw r.Fail($"bad header: {width}x{height} is too large");

        var samples = new byte[count];
        if (plain)
        {
            for (int i = 0; i < count; i++)
            {
                int v = r.PlainSample(i, (int)count);
                if (v > maxval) throw r.Fail($"sample {i} is {v}, above maxval {maxval}");
                samples[i] = Scale(v, maxval);
            }
        }
        else
        {
            r.SkipRasterSeparator();
            long available = data.Length - r.Position;
            if (available < count)
                throw r.Fail($"truncated pixel data: expected {count} bytes, found {Math.Max(available, 0)}");
            for (int i = 0; i < count; i++)
            {
                int v = data[r.Position + i];
                if (v > maxval) throw r.Fail($"sample {i} is {v}, above maxval {maxval}");
                samples[i] = Scale(v, maxval);
            }
        }
        return new PnmImage(channels, height, width, samples);
    }

    /// <summary>floor(v * 255 / maxval + 1/2) in integers: round half up.</summary>
    public static byte Scale(int v, int maxval) => maxval == 255 ? (byte)v : (byte)((v * 510 + maxval) / (2 * maxval));

    private sealed class Cursor(byte[] data, string displayName)
    {
        public int Position;

        public BnnHdlException Fail(string problem) => new($"image '{displayName}': {problem}");

        /// <summary>Skips whitespace and comments, then reads one positive decimal header field.</summary>
        public int HeaderNumber(string field)
        {
            SkipSpaceAndComments();
            if (Position >= data.Length) throw Fail($"bad header: {field} is missing");
            string token = Token();
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
                throw Fail($"bad header: {field} '{Shorten(token)}' is not a positive integer");
            return value;
        }

        /// <summary>Raw formats: exactly one whitespace byte separates maxval from the raster.</summary>
        public void SkipRasterSeparator()
        {
            if (Position < data.Length && !IsSpace(data[Position]))
                throw Fail("bad header: maxval must be followed by one whitespace character");
            Position++;
        }

        public int PlainSample(int index, int count)
        {
            SkipSpaceAndComments();
            if (Position >= data.Length) throw Fail($"truncated pixel data: expected {count} samples, found {index}");
            string token = Token();
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int v))
                throw Fail($"bad pixel data: sample {index} '{Shorten(token)}' is not a number");
            return v;
        }

        private string Token()
        {
            int start = Position;
            while (Position < data.Length && !IsSpace(data[Position]) && data[Position] != '#') Position++;
            return System.Text.Encoding.Latin1.GetString(data, start, Position - start);
        }

        private static string Shorten(string token) => token.Length <= 20 ? token : token[..20] + "...";

        private void SkipSpaceAndComments()
        {
            while (Position < data.Length)
            {
                if (IsSpace(data[Position])) Position++;
                else if (data[Position] == '#')
                    while (Position < data.Length && data[Position] != '\n' && data[Position] != '\r') Position++;
                else break;
            }
        }

    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
