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
        var t = new TileState(d, tile, this);
        // Window origin of output (0, 0), as a virtual FM address and input coordinates.
        long rowOrigin = d.InBase - d.PadStep;
        int iy0 = -d.Pt;
        long outRow = d.OutBase + tile.OutOff;
        long resRow = d.ResBase + tile.ResOff, resAddress = resRow;
        int segments = d.Positions, pes = _p >> d.PegLog2;
        for (int y = 0; y < d.Oh; y++, rowOrigin += d.SyStep, iy0 += d.Sy, outRow += d.OutYStep)
        {
            long origin = rowOrigin, outAddress = outRow;
            int ix0 = -d.Pl;
            // Positions run in groups of G segments x Q PE groups (1 without): one group's beats
            // compute all of them, position q G + g in PE group q (PEs q P/Q ..) on lanes
            // [g S/G, (g+1) S/G) (docs/engine.md "Segments", "PE groups").
            for (int x = 0; x < d.Ow; x += segments)
            {
                long beats = 0, w = 0;
                for (int g = 0; g < segments && x + g < d.Ow; g++)
                {
                    int peBase = (g >> d.SegLog2) * pes, run = g & (d.Segments - 1);
                    beats = Accumulate(d, tile, t, origin, iy0, ix0, y, x + g, run * (_s >> d.SegLog2), peBase);
                    // inside_count: the correction is the number of inside taps (a padded B sum pool).
                    w = WriteBack(d, tile, d.InsideCount == 1 ? t.InsideTaps : t.Corr, t.Bsum, outAddress, resAddress + g * d.ResPixStep, t.WriteMask, t.Data, peBase);
                    origin += d.SxStep;
                    ix0 += d.Sx;
                    outAddress += d.OutXStep;
                }
                // The residual walk: G positions on, or after a row's last group (which may be
                // short) to the next row's start, res_row_step on (a column's with the vertical walk).
                if (x + segments >= d.Ow) resAddress = resRow += d.ResRowStep;
                else resAddress += (long)d.ResPixStep * segments;
                // The write-back unit works on this group while the beats of the next one run:
                // groups start every max(beats, W) cycles; the last one adds its drain, the cycle
                // that forms acc, and its write-back.
                cycles += y == d.Oh - 1 && x + segments >= d.Ow ? beats + 2 + w : Math.Max(beats, w);
            }
        }
        return cycles;
    }

    /// <summary>Per-tile constants and per-position sums shared by <see cref="Accumulate"/> and the write-back.</summary>
    private sealed class TileState
    {
        public readonly ulong[] FromLo, BelowHi, WriteMask, Mask, Data, Act, PadWord;
        public readonly long[] PcWeight;
        public readonly ulong[][] Ones;
        public long Corr, Bsum, InsideTaps;

        public TileState(LayerDescriptor d, TileDescriptor tile, EngineMachine m)
        {
            FromLo = m.LaneRange(tile.LaneLo, m._s);
            BelowHi = m.LaneRange(0, tile.LaneHi);
            // One lane per stored channel: Active / G pooled values from lane0.
            WriteMask = m.LaneRange(tile.Lane0, tile.Lane0 + (tile.Active >> d.XcpLog2));
            Mask = new ulong[m._per];
            Data = new ulong[m._per];
            Act = new ulong[m._per];
            PcWeight = new long[m._p];
            PadWord = d.PadOne == 1 ? m._pad1 : m._pad0;
            // All-ones weights (ones): PE i's weight word is its own lane alone; no weight memory read.
            Ones = new ulong[m._p][];
            for (int i = 0; i < m._p; i++) Ones[i] = m.LaneRange(tile.LaneLo + i, Math.Min(tile.LaneLo + i + 1, m._s));
        }
    }

    /// <summary>
    /// The beats of output position (y, x) whose window origin is <paramref name="origin"/> /
    /// (<paramref name="iy0"/>, <paramref name="ix0"/>): the PE sums, the corrections and the
    /// broadcast sum, with the act lanes moved up by <paramref name="segmentLane"/> (segment g
    /// of a group; 0 without segments), in the PEs from <paramref name="peBase"/> (PE group q
    /// of P / Q PEs; 0 without PE groups). Returns the beats.
    /// </summary>
    private long Accumulate(LayerDescriptor d, TileDescriptor tile, TileState t, long origin, int iy0, int ix0, int y, int x, int segmentLane, int peBase)
    {
        Array.Clear(_cross);
        Array.Clear(_laneCorr);
        Array.Clear(_max);
        long corr = 0, bsum = 0, beats = 0, insideTaps = 0;
        int wAddress = tile.Wb;
        // Lane mode with segments or the window: PE i's channel on lane t of run g (t = kx with
        // the window, whose beat carries a whole window row; t = 0 without).
        bool window = d.Win == 1, laneSegments = d.LaneMode == 1 && (d.SegLog2 > 0 || window);
        bool runBlocks = d.LaneMode == 0 && d.SegLog2 > 0;
        int run = _s >> d.SegLog2;
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
                // Dense segments read run blocks of L lanes: from lane lane_lo of the first
                // block, L lanes at a time, the last one's lanes below lane_hi.
                int laneShift = runBlocks ? tile.LaneLo : 0;
                for (int j = 0; j < tile.Ncb; j++, wAddress++)
                {
                    for (int c = 0; c < _per; c++)
                        t.Mask[c] = runBlocks ? (j == tile.Ncb - 1 ? t.BelowHi[c] : _full[c])
                            : (j == 0 ? t.FromLo[c] : _full[c]) & (j == tile.Ncb - 1 ? t.BelowHi[c] : _full[c]);
                    var weights = d.Ones == 1 ? t.Ones : _wm[window ? tile.Wb + ky * tile.Ncb + j : wAddress];
                    int runLane = segmentLane + (window ? kx : 0);
                    long plane = block;
                    for (int p = 0; p < d.InK; p++, plane++)
                    {
                        var word = inside ? _fm[plane] : t.PadWord;
                        if (runBlocks)
                        {
                            Array.Clear(t.Act);
                            WideBits.Extract(word, laneShift, run, t.Act);
                            for (int c = 0; c < _per; c++) t.Act[c] &= t.Mask[c];
                        }
                        else
                            for (int c = 0; c < _per; c++) t.Act[c] = word[c] & t.Mask[c];
                        // Dense segments move the word onto run g; in lane mode PE i takes its
                        // channel's bit of the word onto the first lane of run g (laneSegments).
                        if (segmentLane > 0 && !laneSegments) ShiftUp(t.Act, segmentLane);
                        long pcAct = 0;
                        Array.Clear(t.PcWeight);
                        for (int c = 0; c < _per; c++)
                        {
                            ulong act = t.Act[c];
                            pcAct += BitOperations.PopCount(act);
                            if (!laneSegments)
                                for (int i = 0; i < tile.Active; i++)
                                    t.PcWeight[i] += BitOperations.PopCount(act & weights[peBase + i][c]);
                        }
                        if (laneSegments)
                            for (int i = 0; i < tile.Active; i++)
                                t.PcWeight[i] = (long)(WideBits.Get(t.Act, tile.LaneLo + i, 1) & (d.Ones == 1 ? 1UL : WideBits.Get(weights[i], runLane, 1)));
                        // The sign plane of an I(w) input counts negative (in_signed).
                        int sign = d.InSigned == 1 && p == d.InK - 1 ? -1 : 1;
                        corr += sign * (pcAct << p);
                        for (int i = 0; i < tile.Active; i++)
                        {
                            long term = d.Bcast == 1 ? (t.PcWeight[i] != 0 ? bval : 0) : t.PcWeight[i];
                            _cross[i] += sign * (term << p);
                            // Lane mode: PE i's own correction, from its input lane.
                            if (d.LaneMode == 1)
                                _laneCorr[i] += sign * ((long)WideBits.Get(t.Act, tile.LaneLo + i, 1) << p);
                        }
                        // The window's beat is the row's: its other taps ride on lanes 1 .. KW - 1.
                        if (!window || kx == 0) beats++;
                    }
                    // The next run block: the block's next L lanes, or the next block.
                    if (runBlocks && laneShift + run < _s) laneShift += run;
                    else (block, laneShift) = (block + d.InCbStep, 0);
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
        t.Corr = corr;
        t.Bsum = bsum;
        t.InsideTaps = insideTaps;
        return beats;
    }

    /// <summary>Moves every lane of an S-bit word up by <paramref name="by"/> lanes (bits past S are dropped).</summary>
    private void ShiftUp(ulong[] word, int by) => WideBits.ShiftUp(word, by, _s);

    /// <summary>
    /// Forms acc (lane mode: with each PE's own correction; max pooling: the maximum), applies
    /// the elementwise operation (residual Add or gate) (read plane by plane from feature memory, one cycle per
    /// plane plus the add), compares (thresholded layers), pools groups of 2^xcp_log2 adjacent PEs (max
    /// of their values, combinational in the write cycles) and writes the output planes.
    /// Returns W, the cycles the write-back unit is busy.
    /// </summary>
    private long WriteBack(LayerDescriptor d, TileDescriptor tile, long corr, long bsum, long outAddress, long resAddress, ulong[] writeMask, ulong[] data, int peBase)
    {
        long cycles = d.ResidualCycles; // residual reads + add (acc is formed in the cycle before)
        for (int i = 0; i < tile.Active; i++)
        {
            long own = d.LaneMode == 1 && d.InsideCount == 0 ? _laneCorr[i] : corr;
            long bias = _bias[peBase + i];
            long acc = d.PoolMax == 1 ? _max[i] + bias
                : (_cross[i] << d.Sc) - (d.Corr == 1 ? own << d.Sk : 0) - (d.Bcorr == 1 ? bsum << d.Sbc : 0) + bias;
            if (d.ResKind != LayerDescriptor.ResNone)
            {
                long r = Residual(d, tile.ResLane0 + i, resAddress);
                acc = d.EwOp == LayerDescriptor.EwGate ? (r == 0 ? 0 : r > 0 ? acc : -acc) : (acc << d.Sa) + (r << d.Sb);
            }
            if (d.OutRaw == 1) { _value[i] = acc; continue; }
            long count = 0;
            for (int j = 0; j < d.NThr; j++) count += acc >= _thresholds[peBase + i][j] ? 1 : 0;
            _value[i] = _negated[peBase + i] ? d.NThr - count : count;
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

    /// <summary>
    /// Reads the tile's folded biases and thresholds (slots 0 and 1 .. n of word tb) into the
    /// PE registers: the active PEs of every PE group (PE q P/Q + i holds channel oc0 + i).
    /// </summary>
    private void LoadConstants(LayerDescriptor d, TileDescriptor tile)
    {
        var word = _program.Images.Thresholds.Word(tile.Tb);
        int lane = _slots * _tw + 1;
        for (int q = 0; q < d.PeGroups; q++)
            for (int k = 0; k < tile.Active; k++)
            {
                int i = q * (_p >> d.PegLog2) + k, pe = i * lane;
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
