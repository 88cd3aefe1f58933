using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BnnHdl.Network;

namespace BnnHdl.Golden;

/// <summary>The NumPy element types a golden set uses (SPEC.md section 6).</summary>
public enum NpyType { UInt8, Int8, Int32, Int64 }

/// <summary>
/// Writes NumPy .npy files, format version 1.0: magic, version, a little-endian uint16 header
/// length, then a Python dict literal padded with spaces and ended by '\n' so that the data
/// starts at a multiple of 64 bytes (NumPy's own alignment), then the C-order data.
/// </summary>
public static class NpyWriter
{
    private const int Alignment = 64;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>The dtype for a value type: U(k) uint8, B int8 (-1/+1), I(w) int32, or int64 when w &gt; 32.</summary>
    public static NpyType TypeFor(DataType type) => type.Kind switch
    {
        ValueKind.Unsigned => NpyType.UInt8,
        ValueKind.Bipolar => NpyType.Int8,
        _ => type.Bits > 32 ? NpyType.Int64 : NpyType.Int32,
    };

    public static string Descr(NpyType type) => type switch
    {
        NpyType.UInt8 => "|u1",
        NpyType.Int8 => "|i1",
        NpyType.Int32 => "<i4",
        _ => "<i8",
    };

    public static int ElementSize(NpyType type) => type switch
    {
        NpyType.UInt8 or NpyType.Int8 => 1,
        NpyType.Int32 => 4,
        _ => 8,
    };

    /// <summary>The complete file for <paramref name="values"/> in C order with the given shape.</summary>
    public static byte[] Encode(NpyType type, IReadOnlyList<int> shape, ReadOnlySpan<long> values)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length)
            throw new ArgumentException($"{values.Length} values for shape ({string.Join(", ", shape)})");
        var header = Header(type, shape);
        int size = ElementSize(type);
        var bytes = new byte[header.Length + values.Length * size];
        header.CopyTo(bytes, 0);
        var data = bytes.AsSpan(header.Length);
        for (int i = 0; i < values.Length; i++)
        {
            long v = values[i];
            if (!Fits(type, v)) throw new ArgumentException($"value {v} at index {i} does not fit {Descr(type)}");
            switch (type)
            {
                case NpyType.UInt8: data[i] = (byte)v; break;
                case NpyType.Int8: data[i] = (byte)(sbyte)v; break;
                case NpyType.Int32: BinaryPrimitives.WriteInt32LittleEndian(data.Slice(i * 4), (int)v); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(data.Slice(i * 8), v); break;
            }
        }
        return bytes;
    }

    /// <summary>Magic, version, header length and the padded header dict.</summary>
    public static byte[] Header(NpyType type, IReadOnlyList<int> shape)
    {
        string dims = shape.Count == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = $"{{'descr': '{Descr(type)}', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = Magic.Length + 2 + dict.Length + 1;
        int padding = (Alignment - unpadded % Alignment) % Alignment;
        string text = dict + new string(' ', padding) + "\n";
        if (text.Length > ushort.MaxValue) throw new ArgumentException("npy header too long for format 1.0");

        var header = new byte[Magic.Length + 2 + text.Length];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(Magic.Length), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + 2));
        return header;
    }

    private static bool Fits(NpyType type, long v) => type switch
    {
        NpyType.UInt8 => v is >= 0 and <= byte.MaxValue,
        NpyType.Int8 => v is >= sbyte.MinValue and <= sbyte.MaxValue,
        NpyType.Int32 => v is >= int.MinValue and <= int.MaxValue,
        _ => true,
    };
}
