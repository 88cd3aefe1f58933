using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>One field of a descriptor word: bits [Lsb, Lsb + Width).</summary>
public sealed record FieldSlot(string Name, int Lsb, int Width)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}[{Lsb + Width - 1}:{Lsb}]");
}

/// <summary>
/// The bit layout of one kind of descriptor word: fields in order from bit 0, each as wide as
/// the largest value any word of the program puts there (at least one bit). The lowering
/// decides it; the Verilog emitter only prints it.
/// </summary>
public sealed record WordLayout(EquatableArray<FieldSlot> Fields, int Bits)
{
    /// <summary>The narrowest layout holding every given word (each a list of named values, same names in the same order).</summary>
    public static WordLayout For(IReadOnlyList<IReadOnlyList<(string Name, long Value)>> words)
    {
        if (words.Count == 0) throw new ArgumentException("a word layout needs at least one word", nameof(words));
        var names = words[0].Select(f => f.Name).ToArray();
        var slots = new List<FieldSlot>();
        int lsb = 0;
        for (int i = 0; i < names.Length; i++)
        {
            int width = words.Max(w => WideBits.UnsignedWidth(w[i].Value));
            slots.Add(new FieldSlot(names[i], lsb, width));
            lsb += width;
        }
        return new WordLayout(slots.ToEquatableArray(), lsb);
    }

    public FieldSlot this[string name] =>
        Fields.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"no field '{name}'", nameof(name));

    /// <summary>Packs one word's values (in field order) into chunks.</summary>
    public void Pack(IReadOnlyList<(string Name, long Value)> values, Span<ulong> word)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            var slot = Fields[i];
            if (values[i].Name != slot.Name || values[i].Value < 0 || WideBits.UnsignedWidth(values[i].Value) > slot.Width)
                throw new InvalidOperationException($"field {slot} cannot hold {values[i].Name}={values[i].Value}");
            WideBits.Set(word, slot.Lsb, slot.Width, (ulong)values[i].Value);
        }
    }

    public Dictionary<string, long> Unpack(ReadOnlySpan<ulong> word)
    {
        var result = new Dictionary<string, long>(Fields.Count);
        foreach (var slot in Fields) result[slot.Name] = (long)WideBits.Get(word, slot.Lsb, slot.Width);
        return result;
    }

    public string Dump() => string.Join(" ", Fields) + string.Create(CultureInfo.InvariantCulture, $" ({Bits} bits)");
}

/// <summary>The layouts of the program word (one per layer) and the tile word.</summary>
public sealed record ProgramLayout(WordLayout Program, WordLayout Tile)
{
    public string Dump() => new StringBuilder()
        .Append("program word: ").Append(Program.Dump()).Append('\n')
        .Append("tile word: ").Append(Tile.Dump()).Append('\n').ToString();
}
