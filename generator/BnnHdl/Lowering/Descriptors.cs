namespace BnnHdl.Lowering;

/// <summary>
/// One program word (docs/engine.md "Descriptors"): everything the engine's counters need
/// for one layer, every product precomputed so the RTL only adds and compares. Flags are
/// 0 / 1. Field names are the hardware's (<see cref="Fields"/>), in program-word order.
/// </summary>
public sealed record LayerDescriptor(
    int InBase, int InH, int InW, int InCb, int InK, int PadOne,
    int OutBase, int OutCb, int OutK, int OutRaw, int NThr, int XcpLog2,
    int ResKind, int ResBase, int ResK, int ResPixStep, int Sa, int Sb,
    int Oh, int Ow, int Kh, int Kw, int Pt, int Pl,
    int PixStep, int RowStep, int SxStep, int SyStep, int DxStep, int DyStep, int PadStep,
    int Sy, int Sx, int Dy, int Dx, int Sc, int Sk, int Corr,
    int TileBase, int NTiles, int OutPixStep, int LayerId, int Last,
    int InSigned = 0, int LaneMode = 0, int PoolMax = 0, int EwOp = 0, int OutXStep = 0, int OutYStep = 0, int EndLayer = 1,
    int Ones = 0, int Bcast = 0, int BcBase = 0, int BcK = 0, int BcPerTap = 0, int BcWordStep = 0, int BcLane0 = 0, int Bcorr = 0, int Sbc = 0,
    int InsideCount = 0, int InCbStep = 0, int BcCbStep = 0, int SegLog2 = 0, int ResRowStep = 0, int Win = 0, int Vert = 0, int PegLog2 = 0)
{
    public IReadOnlyList<(string Name, long Value)> Fields() =>
    [
        ("in_base", InBase), ("in_h", InH), ("in_w", InW), ("in_cb", InCb), ("in_k", InK), ("pad_one", PadOne),
        ("out_base", OutBase), ("out_cb", OutCb), ("out_k", OutK), ("out_raw", OutRaw), ("n_thr", NThr), ("xcp_log2", XcpLog2),
        ("res_kind", ResKind), ("res_base", ResBase), ("res_k", ResK), ("res_pix_step", ResPixStep), ("sa", Sa), ("sb", Sb),
        ("oh", Oh), ("ow", Ow), ("kh", Kh), ("kw", Kw), ("pt", Pt), ("pl", Pl),
        ("pix_step", PixStep), ("row_step", RowStep), ("sx_step", SxStep), ("sy_step", SyStep),
        ("dx_step", DxStep), ("dy_step", DyStep), ("pad_step", PadStep),
        ("sy", Sy), ("sx", Sx), ("dy", Dy), ("dx", Dx), ("sc", Sc), ("sk", Sk), ("corr", Corr),
        ("tile_base", TileBase), ("n_tiles", NTiles), ("out_pix_step", OutPixStep), ("layer_id", LayerId), ("last", Last),
        ("in_signed", InSigned), ("lane_mode", LaneMode), ("pool_max", PoolMax), ("ew_op", EwOp),
        ("out_x_step", OutXStep), ("out_y_step", OutYStep), ("end_layer", EndLayer),
        ("ones", Ones), ("bcast", Bcast), ("bc_base", BcBase), ("bc_k", BcK), ("bc_per_tap", BcPerTap),
        ("bc_word_step", BcWordStep), ("bc_lane0", BcLane0), ("bcorr", Bcorr), ("sbc", Sbc),
        ("inside_count", InsideCount), ("in_cb_step", InCbStep), ("bc_cb_step", BcCbStep),
        ("seg_log2", SegLog2), ("res_row_step", ResRowStep), ("win", Win), ("vert", Vert), ("peg_log2", PegLog2),
    ];

    /// <summary>The descriptor whose fields have these values (the inverse of <see cref="Fields"/>).</summary>
    public static LayerDescriptor FromFields(IReadOnlyDictionary<string, long> f)
    {
        int V(string name) => checked((int)f[name]);
        return new LayerDescriptor(
            V("in_base"), V("in_h"), V("in_w"), V("in_cb"), V("in_k"), V("pad_one"),
            V("out_base"), V("out_cb"), V("out_k"), V("out_raw"), V("n_thr"), V("xcp_log2"),
            V("res_kind"), V("res_base"), V("res_k"), V("res_pix_step"), V("sa"), V("sb"),
            V("oh"), V("ow"), V("kh"), V("kw"), V("pt"), V("pl"),
            V("pix_step"), V("row_step"), V("sx_step"), V("sy_step"), V("dx_step"), V("dy_step"), V("pad_step"),
            V("sy"), V("sx"), V("dy"), V("dx"), V("sc"), V("sk"), V("corr"),
            V("tile_base"), V("n_tiles"), V("out_pix_step"), V("layer_id"), V("last"),
            V("in_signed"), V("lane_mode"), V("pool_max"), V("ew_op"), V("out_x_step"), V("out_y_step"), V("end_layer"),
            V("ones"), V("bcast"), V("bc_base"), V("bc_k"), V("bc_per_tap"), V("bc_word_step"), V("bc_lane0"), V("bcorr"), V("sbc"),
            V("inside_count"), V("in_cb_step"), V("bc_cb_step"), V("seg_log2"), V("res_row_step"), V("win"), V("vert"), V("peg_log2"));
    }

    /// <summary>ew_op: the residual Add of v1, or the gating multiply by the operand read from feature memory.</summary>
    public const int EwAdd = 0, EwGate = 1;

    /// <summary>res_kind of a layer without a residual Add, and of U(k), B and I(w) residuals.</summary>
    public const int ResNone = 0, ResUnsigned = 1, ResBipolar = 2, ResSigned = 3;

    /// <summary>Residual read cycles per output position: one per residual plane plus the add (0 without a residual).</summary>
    public int ResidualCycles => ResKind == ResNone ? 0 : ResK + 1;

    /// <summary>Output positions each PE computes per beat (segments, docs/engine.md "Segments").</summary>
    public int Segments => 1 << SegLog2;

    /// <summary>PE groups, each on its own positions (docs/engine.md "PE groups").</summary>
    public int PeGroups => 1 << PegLog2;

    /// <summary>Output positions one beat computes: segments x PE groups (PE group q has positions q G .. q G + G - 1).</summary>
    public int Positions => 1 << (SegLog2 + PegLog2);

    /// <summary>Position groups of a tile: every row cut into runs of <see cref="Positions"/> positions (the last may be short).</summary>
    public long Groups => (long)Oh * ((Ow + Positions - 1) / Positions);

    /// <summary>
    /// Beats per output position and tile of <paramref name="ncbK"/> act words per tap (plus
    /// the broadcast element's planes); with the window one tap per window row.
    /// </summary>
    public long Beats(int ncbK) => (long)Kh * (Win == 1 ? 1 : Kw) * (ncbK + (Bcast == 1 ? BcK : 0));

    /// <summary>Weight words per tile block: one per tap, or one per window row with the window.</summary>
    public int WeightWordsPerBlock => Win == 1 ? Kh : Kh * Kw;

    /// <summary>
    /// W, the cycles the write-back unit is busy with one output position after the cycle that
    /// forms acc: the residual reads and add, then one per output plane (every threshold is
    /// compared at once, in the write cycles). It overlaps the next position's beats
    /// (docs/engine.md "Loop nest and exact cycle count").
    /// </summary>
    public int WriteBackCycles => ResidualCycles + OutK;

    /// <summary>
    /// Cycles of one tile of <paramref name="positions"/> output positions (position groups,
    /// with segments) of <paramref name="beats"/> beats each after its setup: positions start
    /// every max(N, W) cycles, and the last one ends after its beats, the drain, the acc cycle
    /// and its write-back.
    /// </summary>
    public long TileCycles(long positions, long beats) =>
        (positions - 1) * Math.Max(beats, WriteBackCycles) + beats + 2 + WriteBackCycles;
}

/// <summary>
/// One tile word: the intersection of a convolution group (input channels
/// [<see cref="InLo"/>, <see cref="InHi"/>)) with a P-aligned block of output channels, of
/// which <see cref="Active"/> PEs compute channels <see cref="Oc0"/> + i. With cross-channel
/// pooling by G, <see cref="Lane0"/> and <see cref="OutOff"/> place the pooled channel
/// Oc0 / G (its Active / G pooled values land on lanes Lane0 ..). With a residual Add, PE i
/// reads lane <see cref="ResLane0"/> + i of the residual's words at offset <see cref="ResOff"/>
/// (channel Oc0 + i; both 0 without a residual).
/// </summary>
public sealed record TileDescriptor(
    int Oc0, int Active, int InLo, int InHi, int CbLo, int CbOff, int Ncb, int NcbK,
    int LaneLo, int LaneHi, int Lane0, int OutOff, int ResLane0, int ResOff, int Wb, int Tb)
{
    public IReadOnlyList<(string Name, long Value)> Fields() =>
    [
        ("oc0", Oc0), ("active", Active), ("in_lo", InLo), ("in_hi", InHi), ("cb_lo", CbLo), ("cb_off", CbOff),
        ("ncb", Ncb), ("ncb_k", NcbK), ("lane_lo", LaneLo), ("lane_hi", LaneHi), ("lane0", Lane0),
        ("out_off", OutOff), ("res_lane0", ResLane0), ("res_off", ResOff), ("wb", Wb), ("tb", Tb),
    ];

    public static TileDescriptor FromFields(IReadOnlyDictionary<string, long> f)
    {
        int V(string name) => checked((int)f[name]);
        return new TileDescriptor(V("oc0"), V("active"), V("in_lo"), V("in_hi"), V("cb_lo"), V("cb_off"),
            V("ncb"), V("ncb_k"), V("lane_lo"), V("lane_hi"), V("lane0"), V("out_off"), V("res_lane0"), V("res_off"), V("wb"), V("tb"));
    }
}
