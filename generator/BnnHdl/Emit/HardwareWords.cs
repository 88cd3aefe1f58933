using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;

namespace BnnHdl.Emit;

/// <summary>
/// The program and tile words as the RTL holds them: the lowering's layouts restricted to
/// the fields the engine reads (<see cref="RtlFields"/>), in the lowering's order and
/// widths, and the program and tile images re-packed to match. When the lowering's layout
/// holds exactly those fields this is the identity. A field the RTL reads but the layout
/// lacks is an error.
/// </summary>
public sealed record HardwareWords(WordLayout Program, WordLayout Tile, MemoryImage ProgramImage, MemoryImage TileImage)
{
    public static HardwareWords Of(LoweredProgram program)
    {
        var (pm, pmImage) = Project("program", program.Layout.Program, program.Images.Program, RtlFields.Program);
        var (tt, ttImage) = Project("tile", program.Layout.Tile, program.Images.Tiles, RtlFields.Tile);
        return new HardwareWords(pm, tt, pmImage, ttImage);
    }

    internal static (WordLayout Layout, MemoryImage Image) Project(
        string kind, WordLayout layout, MemoryImage image, IReadOnlyList<string> rtlFields)
    {
        var missing = rtlFields.Where(name => layout.Fields.All(f => f.Name != name)).ToList();
        if (missing.Count > 0)
            throw new BnnHdlException($"the lowering's {kind} word has no field {string.Join(", ", missing.Select(m => $"'{m}'"))} that the engine RTL reads");

        var kept = layout.Fields.Where(f => rtlFields.Contains(f.Name)).ToList();
        var slots = new List<FieldSlot>(kept.Count);
        int lsb = 0;
        foreach (var f in kept)
        {
            slots.Add(new FieldSlot(f.Name, lsb, f.Width));
            lsb += f.Width;
        }
        var projected = new WordLayout(slots.ToEquatableArray(), lsb);
        if (projected == layout) return (layout, image);

        int per = WideBits.Chunks(projected.Bits);
        var chunks = new ulong[image.Depth * per];
        for (int a = 0; a < image.Depth; a++)
        {
            var word = chunks.AsSpan(a * per, per);
            for (int i = 0; i < kept.Count; i++)
                WideBits.Set(word, slots[i].Lsb, slots[i].Width, WideBits.Get(image.Word(a), kept[i].Lsb, kept[i].Width));
        }
        return (projected, MemoryImage.Of(image.Name, projected.Bits, chunks));
    }
}
