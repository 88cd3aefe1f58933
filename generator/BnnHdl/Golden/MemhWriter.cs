using System.Globalization;
using System.Text;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Golden;

/// <summary>
/// Writes a tensor as $readmemh text for testbenches: one comment line
/// <c>// name CxHxW type</c>, then one value per line in [C][H][W] order, in lowercase hex
/// zero-padded to ceil(bits/4) digits, as the value is stored in hardware: U(k) as is,
/// B as its stored bit (1 = +1, 0 = -1), I(w) as w-bit two's complement.
/// </summary>
public static class MemhWriter
{
    public static string Format(string name, TensorData tensor)
    {
        var type = tensor.Type;
        int digits = (type.StoredBits + 3) / 4;
        string format = "x" + digits.ToString(CultureInfo.InvariantCulture);   // lowercase hex, zero-padded
        var sb = new StringBuilder(tensor.Values.Count * (digits + 1) + 64);
        sb.Append("// ").Append(name).Append(' ').Append(tensor.Shape).Append(' ').Append(type.Name).Append('\n');
        foreach (long v in tensor.Span)
            sb.Append(Stored(type, v).ToString(format, CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The bits hardware stores for one value, as an unsigned number.</summary>
    public static ulong Stored(DataType type, long value) => type.Kind switch
    {
        ValueKind.Bipolar => value > 0 ? 1UL : 0UL,
        ValueKind.Unsigned => (ulong)value,
        _ => type.Bits == 64 ? unchecked((ulong)value) : unchecked((ulong)value) & ((1UL << type.Bits) - 1),
    };
}
