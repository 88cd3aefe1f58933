using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// The receptive field of one convolution group, term by term in weight order [i][ky][kx]:
/// where each term sits relative to the window's top-left input position.
/// </summary>
internal sealed class WindowTable
{
    private readonly int[] _offset, _dy, _dx;
    private readonly int _extentY, _extentX;

    public int Terms { get; }

    public WindowTable(GroupRange group, ConvGeometry geo, Shape input)
    {
        Terms = group.InCount * geo.Taps;
        _offset = new int[Terms];
        _dy = new int[Terms];
        _dx = new int[Terms];
        int t = 0;
        for (int i = group.InStart; i < group.InEnd; i++)
            for (int ky = 0; ky < geo.Kernel.Y; ky++)
                for (int kx = 0; kx < geo.Kernel.X; kx++, t++)
                {
                    _dy[t] = ky * geo.Dilation.Y;
                    _dx[t] = kx * geo.Dilation.X;
                    _offset[t] = (i * input.H + _dy[t]) * input.W + _dx[t];
                }
        _extentY = geo.Dilation.Y * (geo.Kernel.Y - 1) + 1;
        _extentX = geo.Dilation.X * (geo.Kernel.X - 1) + 1;
    }

    /// <summary>
    /// Packs the window whose top-left corner is input position (y0, x0) into the cleared
    /// bit-plane row <paramref name="act"/>; positions outside the input take the pad bits.
    /// </summary>
    public void Gather(byte[] stored, Shape input, int y0, int x0, uint padStored, Span<ulong> act, int words, int planes)
    {
        bool inside = y0 >= 0 && x0 >= 0 && y0 + _extentY <= input.H && x0 + _extentX <= input.W;
        int origin = y0 * input.W + x0;
        if (inside && planes == 1)
        {
            // The common bipolar / U(1) case: one plane, no bounds checks.
            for (int t = 0; t < Terms; t++)
                act[t >> 6] |= (ulong)stored[origin + _offset[t]] << (t & 63);
            return;
        }
        for (int t = 0; t < Terms; t++)
        {
            uint v;
            if (inside) v = stored[origin + _offset[t]];
            else
            {
                int iy = y0 + _dy[t], ix = x0 + _dx[t];
                v = (uint)iy < (uint)input.H && (uint)ix < (uint)input.W ? stored[origin + _offset[t]] : padStored;
            }
            BitPlanes.SetTerm(act, words, planes, t, v);
        }
    }
}

/// <summary>
/// The weight rows of one group's output channels, packed once per layer, with each row's
/// weight-only term sum_q 2^q pc(w_q) (a per-channel constant the hardware folds into the bias).
/// </summary>
internal sealed class PackedWeights
{
    private readonly ulong[] _bits;

    public int Words { get; }
    public int Planes { get; }
    public long[] RowSums { get; }

    private PackedWeights(int rows, int words, int planes)
    {
        Words = words;
        Planes = planes;
        _bits = new ulong[rows * planes * words];
        RowSums = new long[rows];
    }

    public ReadOnlySpan<ulong> Row(int row) => _bits.AsSpan(row * Planes * Words, Planes * Words);

    public static PackedWeights Pack(ReadOnlySpan<sbyte> weights, int[] offsets, GroupRange group, int terms, OperandCode code)
    {
        int words = BitPlanes.WordsFor(terms);
        var packed = new PackedWeights(group.OutCount, words, code.Planes);
        for (int o = group.OutStart; o < group.OutEnd; o++)
        {
            int row = o - group.OutStart;
            var bits = packed._bits.AsSpan(row * code.Planes * words, code.Planes * words);
            var source = weights.Slice(offsets[o], terms);
            for (int t = 0; t < terms; t++) BitPlanes.SetTerm(bits, words, code.Planes, t, code.Stored(source[t]));
            packed.RowSums[row] = BitPlanes.PlaneSum(bits, words, code.Planes);
        }
        return packed;
    }
}
