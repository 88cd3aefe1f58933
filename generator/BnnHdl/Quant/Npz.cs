using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace BnnHdl.Quant;

/// <summary>One float array of an .npz archive: C-order values and their shape.</summary>
public sealed record NpzArray(int[] Shape, double[] Values)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// NumPy .npz archives of float arrays (what <c>numpy.savez</c> writes: a zip of one .npy per
/// name, entry "NAME.npy"). Reads float32 and float64 arrays in C order, little-endian;
/// writes float32, deterministically (entries in the order given, a fixed timestamp), so the
/// same arrays give byte-identical files.
/// </summary>
public static partial class Npz
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private static readonly DateTimeOffset Stamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads every array; <paramref name="shown"/> names the file in errors.</summary>
    public static IReadOnlyDictionary<string, NpzArray> Read(string path, string shown)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var arrays = new Dictionary<string, NpzArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                string name = entry.FullName[..^4];
                using var stream = entry.Open();
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                arrays[name] = ReadNpy(memory.ToArray(), $"{shown}: array '{name}'");
            }
            return arrays;
        }
        catch (InvalidDataException e)
        {
            throw new BnnHdlException($"{shown}: not an .npz archive ({e.Message})");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new BnnHdlException($"{shown}: an array header NumPy does not write ({e.Message})");
        }
        catch (IOException e)
        {
            throw new BnnHdlException($"{shown}: cannot read it ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BnnHdlException($"{shown}: cannot read it ({e.Message})");
        }
    }

    /// <summary>Writes the arrays as float32, in the given order.</summary>
    public static void Write(Stream output, IEnumerable<(string Name, NpzArray Array)> arrays)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, array) in arrays)
        {
            var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal);
            entry.LastWriteTime = Stamp;
            using var s = entry.Open();
            var bytes = WriteNpy(array);
            s.Write(bytes, 0, bytes.Length);
        }
    }

    private static byte[] WriteNpy(NpzArray a)
    {
        string shape = a.Shape.Length == 1 ? $"({a.Shape[0]},)" : "(" + string.Join(", ", a.Shape) + ")";
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = Magic.Length + 4 + dict.Length + 1;
        string header = dict.PadRight(dict.Length + (64 - unpadded % 64) % 64) + "\n";
        var bytes = new byte[Magic.Length + 4 + header.Length + 4 * a.Values.Length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        int at = 10 + header.Length;
        foreach (double v in a.Values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), (float)v);
            at += 4;
        }
        return bytes;
    }

    private static NpzArray ReadNpy(byte[] bytes, string where)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new BnnHdlException($"{where} is not a .npy array");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLength);
        var descr = Descr().Match(header);
        var shapeMatch = ShapeField().Match(header);
        if (!descr.Success || !shapeMatch.Success) throw new BnnHdlException($"{where} has a header NumPy does not write: {header.Trim()}");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new BnnHdlException($"{where} is in Fortran order; save it in C order");
        int size = descr.Groups[1].Value switch
        {
            "<f4" => 4,
            "<f8" => 8,
            var d => throw new BnnHdlException($"{where} has dtype {d}; weights are float32 or float64"),
        };
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        long count = shape.Aggregate(1L, (n, d) => n * d);
        int data = start + headerLength;
        if (bytes.Length - data != count * size) throw new BnnHdlException($"{where} holds {bytes.Length - data} data bytes, its shape needs {count * size}");
        var values = new double[count];
        for (long i = 0; i < count; i++)
            values[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + (int)(i * 4)))
                : BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(data + (int)(i * 8)));
        return new NpzArray(shape, values);
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeField();
}
