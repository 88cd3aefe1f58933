using System.Text;
using BnnHdl.Network;

namespace BnnHdl.Engine;

/// <summary>
/// The initial contents of one engine memory: <see cref="Depth"/> words of
/// <see cref="WordBits"/> bits, each stored as <see cref="WideBits.Chunks"/> little-endian
/// 64-bit chunks (bit b of a word is bit b % 64 of chunk b / 64; lane 0 is bit 0). The
/// emitter prints each word with <see cref="Hex"/> as one $readmemh line.
/// </summary>
public sealed record MemoryImage(string Name, int WordBits, int Depth, EquatableArray<ulong> Chunks)
{
    public int ChunksPerWord => WideBits.Chunks(WordBits);

    public ReadOnlySpan<ulong> Word(int address) => Chunks.AsSpan().Slice(address * ChunksPerWord, ChunksPerWord);

    /// <summary>Word <paramref name="address"/> as ceil(WordBits / 4) hex digits, most significant first.</summary>
    public string Hex(int address) => WideBits.Hex(Word(address), WordBits);

    /// <summary>The whole image in $readmemh form: one word per line, address 0 first.</summary>
    public string ToMemh()
    {
        var sb = new StringBuilder();
        for (int a = 0; a < Depth; a++) sb.Append(Hex(a)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Wraps chunks the caller gives up (Depth x ChunksPerWord of them).</summary>
    public static MemoryImage Of(string name, int wordBits, ulong[] chunks)
    {
        int per = WideBits.Chunks(wordBits);
        if (wordBits < 1 || chunks.Length % per != 0)
            throw new ArgumentException($"memory {name}: {chunks.Length} chunks do not make {wordBits}-bit words");
        return new MemoryImage(name, wordBits, chunks.Length / per, EquatableArray<ulong>.TakeOwnership(chunks));
    }
}
