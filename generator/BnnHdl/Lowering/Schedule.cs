using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Fourth lowering pass: tiles every layer and writes its descriptors (docs/engine.md
/// "Descriptors"). A tile is one convolution group intersected with one P-aligned block of
/// output channels, so its active PEs write lanes of one feature-memory word (with
/// cross-channel pooling by G, the Active / G pooled values of a tile start at the pooled
/// channel Oc0 / G and still share one word, because P / G divides S). Weight,
/// threshold and tile memory are laid out in program order, tile after tile.
/// </summary>
public static class Schedule
{
    public static ScheduledProgram Run(AllocatedGraph memory, EngineConfig config)
    {
        var layers = new List<ScheduledLayer>();
        int wb = 0, tb = 0, tileBase = 0;
        var fused = memory.Graph.Layers;
        for (int id = 0; id < fused.Count; id++)
        {
            var layer = fused[id];
            var inRegion = memory.Region(layer.In.Name);
            var outRegion = memory.Region(layer.Out.Name);
            var resRegion = layer.Operand is null ? null : memory.Region(layer.Operand.Name);
            var bcRegion = layer.Dot.Broadcast is null ? null : memory.Region(layer.Dot.Broadcast.Tensor.Name);
            int nThr = layer.Threshold?.Count ?? 0;
            var words = layer.Dot.Words();
            var parts = new List<ScheduledPart>();
            for (int k = 0; k < words.Count; k++)
            {
                var part = words[k];
                var spaces = new TileSpaces(inRegion.C0, outRegion.C0, resRegion?.C0 ?? 0, layer.PoolLog2);
                // Tiles of at most `pes` output channels (P, or P / Q with Q PE groups).
                List<TileDescriptor> Cut(int pes) => (layer.Dot.Mode == DotMode.Dense
                    ? layer.Dot.Geometry.Groups.SelectMany(g => GroupTiles(g, inRegion, outRegion, resRegion, spaces, config, pes))
                    : LaneTiles(layer.In.Shape.C, inRegion, outRegion, resRegion, spaces, config)).ToList();
                var cut = Cut(config.P);
                bool end = k == words.Count - 1;
                var descriptor = Describe(layer, part, inRegion, outRegion, resRegion, nThr, id, end, end && id == fused.Count - 1, tileBase, cut.Count);
                Segmentation.Choice segments;
                if (layer.Dot.Mode == DotMode.Dense)
                {
                    // Segments, and PE groups for tiles of fewer output channels than P (re-cut).
                    var grouped = PeGroups.Choose(layer, part, Cut, descriptor, inRegion, outRegion, resRegion, config);
                    (segments, cut) = (grouped.Segments, grouped.Tiles.ToList());
                    descriptor = descriptor with { PegLog2 = grouped.Log2, NTiles = cut.Count };
                }
                else segments = Segmentation.Choose(layer, part, cut, descriptor, inRegion, outRegion, resRegion, config);
                foreach (var tile in cut)
                {
                    // Pooled tiles hold whole groups of G PEs; a lane-mode input placed in a Concat
                    // view can cross a word boundary inside a group, which no tile can pool.
                    if (tile.Oc0 % (1 << layer.PoolLog2) != 0 || tile.Active % (1 << layer.PoolLog2) != 0)
                        throw new BnnHdlException($"layer '{layer.Pool!.Name}' (CrossChannelMaxPool): its input '{layer.In.Name}' lies in a Concat at a channel offset that splits a pooling group of {1 << layer.PoolLog2} channels across feature-memory words; pool before concatenating or align the operand to {1 << layer.PoolLog2} channels");
                }
                // A vertical strip walks its columns when its rows are pitched for it and the
                // transposed walk gets the window (docs/engine.md "Vertical walk").
                var column = VerticalWalk.Candidate(layer, config) && VerticalWalk.Pitched(inRegion, config) && VerticalWalk.Pitched(outRegion, config)
                    && (resRegion is null || VerticalWalk.Pitched(resRegion, config))
                    ? Segmentation.Choose(layer, VerticalWalk.Transposed(part), cut, descriptor, inRegion, outRegion, resRegion, config, vertical: true)
                    : null;
                if (column is { Window: true })
                    (descriptor, segments) = (VerticalWalk.Transpose(descriptor, inRegion, outRegion, resRegion), column);
                descriptor = descriptor with { SegLog2 = segments.Log2, Win = segments.Window ? 1 : 0 };
                var tiles = new List<TileDescriptor>();
                // Segmented dense tiles read their group in run blocks of S / G lanes.
                if (layer.Dot.Mode == DotMode.Dense)
                    cut = cut.Select(t => Segmentation.RunBlocks(t, segments.Log2, config.S, inRegion.Planes)).ToList();
                foreach (var tile in cut)
                {
                    // All-ones tiles read no weights: wb 0 (not one past the last word, which
                    // could need an address bit the weight memory does not have).
                    tiles.Add(tile with { Wb = layer.Dot.AllOnes ? 0 : wb, Tb = tb });
                    // All-ones weights (pools, copies, products) are not stored.
                    wb += layer.Dot.AllOnes ? 0 : descriptor.WeightWordsPerBlock * tile.Ncb;
                    tb++; // one threshold-memory word per tile: the biases and every threshold
                }
                if (bcRegion is not null)
                {
                    descriptor = WithBroadcast(descriptor, layer.Dot.Broadcast!, bcRegion, config.S);
                    descriptor = descriptor with { SegLog2 = Segmentation.ProductLog2(descriptor, part, outRegion, resRegion, config) };
                }
                parts.Add(new ScheduledPart(descriptor, tiles.ToEquatableArray()));
                tileBase += tiles.Count;
            }
            layers.Add(new ScheduledLayer(layer, inRegion, outRegion, parts.ToEquatableArray()));
        }
        return new ScheduledProgram(config, memory, layers.ToEquatableArray(), wb, tb, tileBase);
    }

    /// <summary>
    /// Where a layer's channels sit in the words it reads and writes: channel c of the input,
    /// output and residual is stored channel C0 + c of its region (non-zero for Concat views);
    /// output channel oc is stored as oc >> PoolLog2 when pooled.
    /// </summary>
    private sealed record TileSpaces(int In, int Out, int Res, int PoolLog2);

    /// <summary>
    /// Cuts channels [lo, hi) at multiples of `pes` (P, or P / Q with PE groups) and wherever the stored output, residual (or,
    /// in lane mode, input) channel crosses a word boundary, so each tile's lanes lie in one
    /// word of each region. Without views every cut is a multiple of P (P divides S).
    /// </summary>
    private static IEnumerable<(int Lo, int Hi)> Cut(int lo, int hi, TileSpaces spaces, bool laneMode, EngineConfig config, int pes)
    {
        int s = config.S;
        bool Boundary(int c) => c % pes == 0 || (spaces.Out + (c >> spaces.PoolLog2)) % s == 0 && c % (1 << spaces.PoolLog2) == 0
            || (spaces.Res + c) % s == 0 || laneMode && (spaces.In + c) % s == 0;
        int start = lo;
        for (int c = lo + 1; c <= hi; c++)
            if (c == hi || Boundary(c))
            {
                yield return (start, c);
                start = c;
            }
    }

    /// <summary>The tiles of one group: its output channels cut by <see cref="Cut"/>.</summary>
    private static IEnumerable<TileDescriptor> GroupTiles(GroupRange group, FmRegion inR, FmRegion outR, FmRegion? resR, TileSpaces spaces, EngineConfig config, int pes)
    {
        int s = config.S;
        int inLo = spaces.In + group.InStart, inHi = spaces.In + group.InEnd;
        int cbLo = inLo / s, cbHi = (inHi - 1) / s, ncb = cbHi - cbLo + 1;
        foreach (var (oc0, end) in Cut(group.OutStart, group.OutEnd, spaces, false, config, pes))
            yield return Tile(oc0, end - oc0, inLo, inHi, cbLo, ncb, inR, outR, resR, spaces, config) with
            {
                LaneLo = inLo - cbLo * s, LaneHi = inHi - cbHi * s,
            };
    }

    /// <summary>
    /// Lane mode: channel c in, channel c out, so a tile is a block of channels cut by
    /// <see cref="Cut"/>: its input lanes, its output lanes and its residual lanes each lie in one word.
    /// </summary>
    private static IEnumerable<TileDescriptor> LaneTiles(int channels, FmRegion inR, FmRegion outR, FmRegion? resR, TileSpaces spaces, EngineConfig config)
    {
        int s = config.S;
        foreach (var (oc0, end) in Cut(0, channels, spaces, true, config, config.P))
        {
            int inLo = spaces.In + oc0, cb = inLo / s;
            yield return Tile(oc0, end - oc0, inLo, spaces.In + end, cb, 1, inR, outR, resR, spaces, config) with
            {
                LaneLo = inLo % s, LaneHi = inLo % s + end - oc0,
            };
        }
    }

    private static TileDescriptor Tile(int oc0, int active, int inLo, int inHi, int cbLo, int ncb, FmRegion inR, FmRegion outR, FmRegion? resR, TileSpaces spaces, EngineConfig config)
    {
        int s = config.S;
        // The stored channel of PE 0 (pooled: Legalize made G divide every tile start).
        int stored = spaces.Out + (oc0 >> spaces.PoolLog2), res = spaces.Res + oc0;
        return new TileDescriptor(
            Oc0: oc0, Active: active, InLo: inLo, InHi: inHi,
            // Block offsets are whole channel-block images (block-planar layout).
            CbLo: cbLo, CbOff: cbLo * inR.BlockStep, Ncb: ncb, NcbK: ncb * inR.Planes, LaneLo: 0, LaneHi: 0,
            Lane0: stored % s, OutOff: stored / s * outR.BlockStep,
            // The residual has the un-pooled channels: PE i reads channel oc0 + i (both 0 without one).
            ResLane0: resR is null ? 0 : res % s, ResOff: resR is null ? 0 : res / s * resR.BlockStep, Wb: 0, Tb: 0);
    }

    private static LayerDescriptor Describe(FusedLayer layer, DotPart part, FmRegion inR, FmRegion outR, FmRegion? resR,
        int nThr, int id, bool endLayer, bool last, int tileBase, int nTiles)
    {
        var g = layer.Dot.Geometry;
        var read = layer.Dot.ReadType;
        bool bipolarIn = read.IsBipolar, bipolarW = layer.Dot.WeightType == WeightType.Bipolar;
        // Block-planar layout: a position is K words, a row W positions, a block H rows.
        int pix = inR.Planes, row = inR.RowWords;
        int outPix = outR.Planes, outRow = outR.RowWords;
        var d = new LayerDescriptor(
            // A part's window starts at its first word; the steps keep the stored row length.
            InBase: inR.Base + part.In.Y0 * row + part.In.X0 * pix, InH: part.In.H, InW: part.In.W,
            InCb: inR.ChannelBlocks, InK: inR.Planes,
            // Only a B input padded with +1 reads stored ones outside the map; U(k) and I(w) pad with 0, B with -1 as stored 0.
            PadOne: bipolarIn && g.PadValue > 0 && !part.Pad.IsNone ? 1 : 0,
            OutBase: outR.Base + part.Out.Y0 * outRow + part.Out.X0 * outPix, OutCb: outR.ChannelBlocks, OutK: outR.Planes,
            OutRaw: layer.IsRaw ? 1 : 0, NThr: nThr, XcpLog2: layer.PoolLog2,
            ResKind: resR is null ? LayerDescriptor.ResNone
                : resR.Type.IsBipolar ? LayerDescriptor.ResBipolar : resR.Type.IsUnsigned ? LayerDescriptor.ResUnsigned : LayerDescriptor.ResSigned,
            // The residual walk: positions Planes words apart, rows RowWords apart (pitch included).
            ResBase: resR?.Base ?? 0, ResK: resR?.Planes ?? 0, ResPixStep: resR?.Planes ?? 0, ResRowStep: resR?.RowWords ?? 0,
            Sa: layer.Add?.ShiftAcc ?? 0, Sb: layer.Add?.ShiftRes ?? 0,
            Oh: part.Out.H, Ow: part.Out.W, Kh: part.Kernel.Y, Kw: part.Kernel.X, Pt: part.Pad.Top, Pl: part.Pad.Left,
            PixStep: pix, RowStep: row, SxStep: part.Stride.X * pix, SyStep: part.Stride.Y * row,
            DxStep: g.Dilation.X * pix, DyStep: g.Dilation.Y * row, PadStep: part.Pad.Top * row + part.Pad.Left * pix,
            Sy: part.Stride.Y, Sx: part.Stride.X, Dy: g.Dilation.Y, Dx: g.Dilation.X,
            // acc = (cross << SC) - (corr << SK) + bias': SC = log2(alpha_a * alpha_w), SK = log2(alpha_a),
            // and the correction exists only for bipolar weights (beta_w = -1). I(w) inputs have alpha_a = 1.
            Sc: (bipolarIn ? 1 : 0) + (bipolarW ? 1 : 0), Sk: bipolarIn ? 1 : 0, Corr: bipolarW ? 1 : 0,
            TileBase: tileBase, NTiles: nTiles, OutPixStep: outPix,
            LayerId: id, Last: last ? 1 : 0,
            InSigned: read.IsSigned ? 1 : 0,
            LaneMode: layer.Dot.Mode == DotMode.Dense ? 0 : 1,
            PoolMax: layer.Dot.Mode == DotMode.LaneMax ? 1 : 0,
            EwOp: layer.Gate is null ? LayerDescriptor.EwAdd : LayerDescriptor.EwGate,
            OutXStep: part.Out.Sx * outPix, OutYStep: part.Out.Sy * outRow,
            EndLayer: endLayer ? 1 : 0,
            Ones: layer.Dot.AllOnes ? 1 : 0,
            InCbStep: inR.BlockStep);
        // The sum of a padded B input: bits over the inside taps, acc = (bits << 1) - inside taps.
        return layer.Dot.Mode == DotMode.LaneBipolarSum ? d with { Sc = 1, Sk = 0, Corr = 1, InsideCount = 1 } : d;
    }

    /// <summary>
    /// An act x act product (docs/engine.md "Activation x activation products"): the window
    /// is the whole row tensor and never moves; the broadcast operand's element address.
    /// </summary>
    private static LayerDescriptor WithBroadcast(LayerDescriptor d, Broadcast b, FmRegion region, int s)
    {
        bool rowsBipolar = d.Sk == 1, otherBipolar = b.ReadType.IsBipolar;
        return d with
        {
            SxStep = 0, SyStep = 0, Sx = 0, Sy = 0,
            // The view's first channel C0 as a lane below S and the words of its whole blocks
            // folded into the base, so the RTL's lane counter starts without a division.
            Bcast = 1, BcBase = region.Base + region.C0 / s * region.BlockStep, BcK = region.Planes, BcPerTap = b.PerTap ? 1 : 0,
            BcWordStep = region.Planes, BcCbStep = region.BlockStep, BcLane0 = region.C0 % s,
            // (alpha_a, beta_a) of the rows, (alpha_b, beta_b) of the broadcast operand.
            Sc = (rowsBipolar ? 1 : 0) + (otherBipolar ? 1 : 0), Sk = rowsBipolar ? 1 : 0, Corr = otherBipolar ? 1 : 0,
            Bcorr = rowsBipolar ? 1 : 0, Sbc = otherBipolar ? 1 : 0,
        };
    }
}
