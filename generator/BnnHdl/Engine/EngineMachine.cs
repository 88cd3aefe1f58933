using System.Numerics;
using BnnHdl.Lowering;
using BnnHdl.Reference;

namespace BnnHdl.Engine;

/// <summary>
/// The engine's state for <see cref="EngineSimulator"/>: feature memory (read/write, per-bit
/// write mask), the read-only memories, and the per-PE registers. Words are arrays of 64-bit
/// chunks, so any S works; the weight memory is kept as one S-bit slice per PE, the wiring
/// of bits [i*S +: S] to PE i.
/// </summary>
internal sealed class EngineMachine
{
    private readonly LoweredProgram _program;
    private readonly int _s, _p, _per, _tw, _slots;
    private readonly ulong[][] _fm;
    private readonly ulong[][][] _wm; // [address][pe] -> S-bit slice
    private readonly ulong[] _full, _pad1, _pad0;

    // Per-PE registers.
    private readonly long[] _cross, _bias, _value, _laneCorr, _max;
    private readonly long[][] _thresholds;
    private readonly bool[] _negated;

    public EngineMachine(LoweredProgram program, MemoryImage featureMemory)
    {
        _program = program;
        _s = program.Config.S;
        _p = program.Config.P;
        _per = WideBits.Chunks(_s);
        _tw = program.Dimensions.ThresholdBits;
        _slots = program.Dimensions.ThresholdSlots;
        if (featureMemory.WordBits != _s || featureMemory.Depth != program.Dimensions.FmWords)
            throw new ArgumentException($"feature memory image is {featureMemory.Depth} x {featureMemory.WordBits} bits, the program needs {program.Dimensions.FmWords} x {_s}");
        _fm = Enumerable.Range(0, featureMemory.Depth).Select(a => featureMemory.Word(a).ToArray()).ToArray();

        var wm = program.Images.Weights;
        _wm = new ulong[wm.Depth][][];
        for (int a = 0; a < wm.Depth; a++)
        {
            _wm[a] = new ulong[_p][];
            for (int i = 0; i < _p; i++)
            {
                _wm[a][i] = new ulong[_per];
                WideBits.Extract(wm.Word(a), i * _s, _s, _wm[a][i]);
            }
        }
        _full = LaneRange(0, _s);
        _pad1 = _full;
        _pad0 = new ulong[_per];
        _cross = new long[_p];
        _bias = new long[_p];
        _value = new long[_p];
        _laneCorr = new long[_p];
        _max = new long[_p];
        _thresholds = Enumerable.Range(0, _p).Select(_ => new long[program.Dimensions.MaxThresholds]).ToArray();
        _negated = new bool[_p];
    }

    public TensorData Load(FmRegion region)
    {
        var flat = new ulong[_fm.Length * _per];
        for (int a = 0; a < _fm.Length; a++) _fm[a].CopyTo(flat, a * _per);
        return FeatureLayout.Load(flat, region, _s);
    }

    public MemoryImage Snapshot() => MemoryImage.Of("fm", _s, _fm.SelectMany(w => w).ToArray());

    /// <summary>Executes one program word; returns the cycles it took.</summary>
    public long RunLayer(LayerDescriptor d)
    {
        long cycles = CycleModel.LayerSetup;
        var tt = _program.Images.Tiles;
        for (int t = 0; t < d.NTiles; t++)
        {
            var tile = TileDescriptor.FromFields(_program.Layout.Tile.Unpack(tt.Word(d.TileBase + t)));
            cycles += CycleModel.TileSetup;
            cycles += RunTile(d, tile);
        }
        return cycles;
    }

    private long RunTile(LayerDescriptor d, TileDescriptor tile)
    {
        long cycles = 0;
        LoadConstants(d, tile);
        var fromLo = LaneRange(tile.LaneLo, _s);
        var belowHi = LaneRange(0, tile.LaneHi);
        // One lane per stored channel: Active / G pooled values from lane0.
        var writeMask = LaneRange(tile.Lane0, tile.Lane0 + (tile.Active >> d.XcpLog2));
        var mask = new ulong[_per];
        var data = new ulong[_per];
        var pcWeight = new long[_p];
        var padWord = d.PadOne == 1 ? _pad1 : _pad0;
        // All-ones weights (ones): PE i's weight word is its own lane alone; no weight memory read.
        var ones = new ulong[_p][];
        for (int i = 0; i < _p; i++) ones[i] = LaneRange(tile.LaneLo + i, Math.Min(tile.LaneLo + i + 1, _s));

        // Window origin of output (0, 0), as a virtual FM address and input coordinates.
        long rowOrigin = d.InBase - d.PadStep;
        int iy0 = -d.Pt;
        long outRow = d.OutBase + tile.OutOff;
        long resAddress = d.ResBase + tile.ResOff;
        for (int y = 0; y < d.Oh; y++, rowOrigin += d.SyStep, iy0 += d.Sy, outRow += d.OutYStep)
        {
            long origin = rowOrigin, outAddress = outRow;
            int ix0 = -d.Pl;
            for (int x = 0; x < d.Ow; x++, origin += d.SxStep, ix0 += d.Sx, outAddress += d.OutXStep, resAddress += d.ResPixStep)
            {
                Array.Clear(_cross);
                Array.Clear(_laneCorr);
                Array.Clear(_max);
                long corr = 0, bsum = 0, beats = 0, insideTaps = 0;
                int wAddress = tile.Wb;
                long tapRow = origin;
                int iy = iy0;
                for (int ky = 0; ky < d.Kh; ky++, tapRow += d.DyStep, iy += d.Dy)
                {
                    long tap = tapRow;
                    int ix = ix0;
                    for (int kx = 0; kx < d.Kw; kx++, tap += d.DxStep, ix += d.Dx)
                    {
                        bool inside = iy >= 0 && iy < d.InH && ix >= 0 && ix < d.InW;
                        if (inside) insideTaps++;
                        // Act x act product: the broadcast element of this tap and output position, one cycle per plane.
                        long bval = 0;
                        if (d.Bcast == 1)
                        {
                            bval = Broadcast(d, ky * d.Kw + kx, y * d.Ow + x);
                            bsum += bval;
                            beats += d.BcK;
                        }
                        long block = tap + tile.CbOff;
                        for (int j = 0; j < tile.Ncb; j++, block += d.InCbStep, wAddress++)
                        {
                            for (int c = 0; c < _per; c++)
                                mask[c] = (j == 0 ? fromLo[c] : _full[c]) & (j == tile.Ncb - 1 ? belowHi[c] : _full[c]);
                            var weights = d.Ones == 1 ? ones : _wm[wAddress];
                            long plane = block;
                            for (int p = 0; p < d.InK; p++, plane++)
                            {
                                var word = inside ? _fm[plane] : padWord;
                                long pcAct = 0;
                                Array.Clear(pcWeight);
                                for (int c = 0; c < _per; c++)
                                {
                                    ulong act = word[c] & mask[c];
                                    pcAct += BitOperations.PopCount(act);
                                    for (int i = 0; i < tile.Active; i++)
                                        pcWeight[i] += BitOperations.PopCount(act & weights[i][c]);
                                }
                                // The sign plane of an I(w) input counts negative (in_signed).
                                int sign = d.InSigned == 1 && p == d.InK - 1 ? -1 : 1;
                                corr += sign * (pcAct << p);
                                for (int i = 0; i < tile.Active; i++)
                                {
                                    long term = d.Bcast == 1 ? (pcWeight[i] != 0 ? bval : 0) : pcWeight[i];
                                    _cross[i] += sign * (term << p);
                                    // Lane mode: PE i's own correction, from its input lane.
                                    if (d.LaneMode == 1)
                                        _laneCorr[i] += sign * ((long)(WideBits.Get(word, tile.LaneLo + i, 1) & WideBits.Get(mask, tile.LaneLo + i, 1)) << p);
                                }
                                beats++;
                            }
                            // Max pooling: the tap's value is complete after its last plane; padded taps do not take part.
                            if (d.PoolMax == 1)
                                for (int i = 0; i < tile.Active; i++)
                                {
                                    if (inside) _max[i] = Math.Max(_max[i], _cross[i]);
                                    _cross[i] = 0;
                                }
                        }
                    }
                }
                // inside_count: the correction is the number of inside taps (a padded B sum pool).
                long w = WriteBack(d, tile, d.InsideCount == 1 ? insideTaps : corr, bsum, outAddress, resAddress, writeMask, data);
                // The write-back unit works on this position while the beats of the next one run:
                // positions start every max(beats, W) cycles; the last one adds its drain, the cycle
                // that forms acc, and its write-back.
                cycles += y == d.Oh - 1 && x == d.Ow - 1 ? beats + 2 + w : Math.Max(beats, w);
            }
        }
        return cycles;
    }

    /// <summary>
    /// Forms acc (lane mode: with each PE's own correction; max pooling: the maximum), applies
    /// the elementwise operation (residual Add or gate) (read plane by plane from feature memory, one cycle per
    /// plane plus the add), compares (thresholded layers), pools groups of 2^xcp_log2 adjacent PEs (max
    /// of their values, combinational in the write cycles) and writes the output planes.
    /// Returns W, the cycles the write-back unit is busy.
    /// </summary>
    private long WriteBack(LayerDescriptor d, TileDescriptor tile, long corr, long bsum, long outAddress, long resAddress, ulong[] writeMask, ulong[] data)
    {
        long cycles = d.ResidualCycles; // residual reads + add (acc is formed in the cycle before)
        for (int i = 0; i < tile.Active; i++)
        {
            long own = d.LaneMode == 1 && d.InsideCount == 0 ? _laneCorr[i] : corr;
            long acc = d.PoolMax == 1 ? _max[i] + _bias[i]
                : (_cross[i] << d.Sc) - (d.Corr == 1 ? own << d.Sk : 0) - (d.Bcorr == 1 ? bsum << d.Sbc : 0) + _bias[i];
            if (d.ResKind != LayerDescriptor.ResNone)
            {
                long r = Residual(d, tile.ResLane0 + i, resAddress);
                acc = d.EwOp == LayerDescriptor.EwGate ? (r == 0 ? 0 : r > 0 ? acc : -acc) : (acc << d.Sa) + (r << d.Sb);
            }
            if (d.OutRaw == 1) { _value[i] = acc; continue; }
            long count = 0;
            for (int j = 0; j < d.NThr; j++) count += acc >= _thresholds[i][j] ? 1 : 0;
            _value[i] = _negated[i] ? d.NThr - count : count;
        }
        // Every threshold is compared at once, combinationally in the write cycles.
        int group = 1 << d.XcpLog2, stored = tile.Active >> d.XcpLog2;
        for (int g = 0; g < stored; g++)
        {
            // Values are q >= 0 (U(k), or the stored bit of B), so max of B is the OR of the bits.
            long max = _value[g * group];
            for (int k = 1; k < group; k++) max = Math.Max(max, _value[g * group + k]);
            _value[g] = max;
        }
        for (int p = 0; p < d.OutK; p++)
        {
            Array.Clear(data);
            for (int i = 0; i < stored; i++)
                WideBits.Set(data, tile.Lane0 + i, 1, (ulong)(_value[i] >> p) & 1);
            var word = _fm[outAddress + p];
            for (int c = 0; c < _per; c++) word[c] = (word[c] & ~writeMask[c]) | (data[c] & writeMask[c]);
            cycles++;
        }
        return cycles;
    }

    /// <summary>
    /// The broadcast element of an act x act product for tap <paramref name="tap"/> and output
    /// position <paramref name="position"/> (docs/engine.md "Activation x activation products"):
    /// its planes from the element's word, on the element's lane.
    /// </summary>
    private long Broadcast(LayerDescriptor d, int tap, int position)
    {
        int lane = d.BcPerTap == 1 ? tap : position, word = d.BcPerTap == 1 ? position : tap;
        int c = d.BcLane0 + lane;
        long address = d.BcBase + (long)word * d.BcWordStep + (long)(c / _s) * d.BcCbStep;
        long value = 0;
        for (int q = 0; q < d.BcK; q++) value |= (long)WideBits.Get(_fm[address + q], c % _s, 1) << q;
        return value;
    }

    /// <summary>
    /// The residual value on lane <paramref name="lane"/> of the res_k planes from
    /// <paramref name="address"/>: unsigned planes (U(k)), two's complement (I(w): the top plane
    /// counts negative) or the stored bit u as 2u - 1 (B).
    /// </summary>
    private long Residual(LayerDescriptor d, int lane, long address)
    {
        long r = 0;
        for (int p = 0; p < d.ResK; p++)
        {
            long bit = (long)WideBits.Get(_fm[address + p], lane, 1) << p;
            r += d.ResKind == LayerDescriptor.ResSigned && p == d.ResK - 1 ? -bit : bit;
        }
        return d.ResKind == LayerDescriptor.ResBipolar ? (r << 1) - 1 : r;
    }

    /// <summary>Reads the tile's folded biases and thresholds (slots 0 and 1 .. n of word tb) into the PE registers.</summary>
    private void LoadConstants(LayerDescriptor d, TileDescriptor tile)
    {
        var word = _program.Images.Thresholds.Word(tile.Tb);
        int lane = _slots * _tw + 1;
        for (int i = 0; i < tile.Active; i++)
        {
            int pe = i * lane;
            _bias[i] = WideBits.GetSigned(word, pe, _tw);
            for (int j = 0; j < d.NThr; j++)
                _thresholds[i][j] = WideBits.GetSigned(word, pe + (1 + j) * _tw, _tw);
            _negated[i] = d.NThr > 0 && WideBits.Get(word, pe + _slots * _tw, 1) == 1;
        }
    }

    /// <summary>An S-bit word with lanes [lo, hi) set.</summary>
    private ulong[] LaneRange(int lo, int hi)
    {
        var word = new ulong[_per];
        for (int l = lo; l < hi; l++) WideBits.Set(word, l, 1, 1);
        return word;
    }
}
