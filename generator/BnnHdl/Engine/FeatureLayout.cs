using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Engine;

/// <summary>
/// Tensors in feature memory (docs/engine.md "Feature memory FM"): lane l of word
/// word(y, x, cb, p) is bit-plane p of channel cb * S + l. Planes are the stored bits: bit p
/// of a U(k) value, the B bit (1 = +1), bit p of an I(w) value in two's complement.
/// </summary>
public static class FeatureLayout
{
    /// <summary>The initial feature memory: the input and the constants in their regions, every other word 0.</summary>
    public static MemoryImage InitialImage(LoweredProgram program, TensorData input)
    {
        var region = program.InputRegion;
        if (input.Shape != region.Shape || input.Type != region.Type)
            throw new BnnHdlException(
                $"network '{program.Name}': input '{region.Tensor}' expects a {region.Shape} {region.Type} tensor, got {input.Shape} {input.Type}");
        int s = program.Config.S;
        var chunks = new ulong[program.Dimensions.FmWords * WideBits.Chunks(s)];
        Store(input, region, s, chunks);
        foreach (var constant in program.Memory.Graph.Constants)
            Store(constant.Data(input), program.Memory.Region(constant.Out.Name), s, chunks);
        return MemoryImage.Of("fm", s, chunks);
    }

    /// <summary>Writes every value's planes into its region (other lanes of those words are left alone).</summary>
    public static void Store(TensorData tensor, FmRegion region, int s, Span<ulong> fm)
    {
        int per = WideBits.Chunks(s);
        var shape = tensor.Shape;
        for (int c = 0; c < shape.C; c++)
            for (int y = 0; y < shape.H; y++)
                for (int x = 0; x < shape.W; x++)
                {
                    long v = tensor[c, y, x];
                    ulong stored = tensor.Type.IsBipolar ? (v == 1 ? 1UL : 0UL) : (ulong)v;
                    for (int p = 0; p < region.Planes; p++)
                    {
                        var word = fm.Slice(region.Address(y, x, (region.C0 + c) / s, p) * per, per);
                        WideBits.Set(word, (region.C0 + c) % s, 1, (stored >> p) & 1);
                    }
                }
    }

    /// <summary>Reads the tensor stored in <paramref name="region"/> back as values.</summary>
    public static TensorData Load(ReadOnlySpan<ulong> fm, FmRegion region, int s)
    {
        int per = WideBits.Chunks(s);
        var shape = region.Shape;
        var values = new long[shape.Size];
        for (int c = 0; c < shape.C; c++)
            for (int y = 0; y < shape.H; y++)
                for (int x = 0; x < shape.W; x++)
                {
                    ulong stored = 0;
                    for (int p = 0; p < region.Planes; p++)
                        stored |= WideBits.Get(fm.Slice(region.Address(y, x, (region.C0 + c) / s, p) * per, per), (region.C0 + c) % s, 1) << p;
                    values[(c * shape.H + y) * shape.W + x] = region.Type.Kind switch
                    {
                        ValueKind.Bipolar => stored == 1 ? 1 : -1,
                        ValueKind.Unsigned => (long)stored,
                        _ => region.Planes == 64 ? (long)stored : (long)(stored << (64 - region.Planes)) >> (64 - region.Planes),
                    };
                }
        return TensorData.Create(shape, region.Type, values);
    }
}
