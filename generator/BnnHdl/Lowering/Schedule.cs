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
            int nThr = layer.Threshold?.Count ?? 0;
            var words = layer.Dot.Words();
            var parts = new List<ScheduledPart>();
            for (int k = 0; k < words.Count; k++)
            {
                var part = words[k];
                var tiles = new List<TileDescriptor>();
                var cut = layer.Dot.Mode == DotMode.Dense
                    ? layer.Dot.Geometry.Groups.SelectMany(g => GroupTiles(g, inRegion.Planes, outRegion.Planes, resRegion?.Planes ?? 0, layer.PoolLog2, config))
                    : LaneTiles(layer.In.Shape.C, inRegion.Planes, outRegion.Planes, resRegion?.Planes ?? 0, layer.PoolLog2, config);
                foreach (var tile in cut)
                {
                    tiles.Add(tile with { Wb = wb, Tb = tb });
                    wb += part.Taps * tile.Ncb;
                    tb += 1 + nThr;
                }
                bool end = k == words.Count - 1;
                parts.Add(new ScheduledPart(
                    Describe(layer, part, inRegion, outRegion, resRegion, nThr, id, end, end && id == fused.Count - 1, tileBase, tiles.Count),
                    tiles.ToEquatableArray()));
                tileBase += tiles.Count;
            }
            layers.Add(new ScheduledLayer(layer, inRegion, outRegion, parts.ToEquatableArray()));
        }
        return new ScheduledProgram(config, memory, layers.ToEquatableArray(), wb, tb, tileBase);
    }

    /// <summary>The tiles of one group: its output channels cut at multiples of P.</summary>
    private static IEnumerable<TileDescriptor> GroupTiles(GroupRange group, int inK, int outK, int resK, int poolLog2, EngineConfig config)
    {
        int s = config.S, p = config.P;
        int cbLo = group.InStart / s, cbHi = (group.InEnd - 1) / s, ncb = cbHi - cbLo + 1;
        for (int block = group.OutStart / p * p; block < group.OutEnd; block += p)
        {
            int oc0 = Math.Max(group.OutStart, block), end = Math.Min(group.OutEnd, block + p);
            // The stored channel of PE 0: Legalize made G divide oc0 (G | P and G | group bounds).
            int stored = oc0 >> poolLog2;
            yield return new TileDescriptor(
                Oc0: oc0, Active: end - oc0, InLo: group.InStart, InHi: group.InEnd,
                CbLo: cbLo, CbOff: cbLo * inK, Ncb: ncb, NcbK: ncb * inK,
                LaneLo: group.InStart - cbLo * s, LaneHi: group.InEnd - cbHi * s,
                Lane0: stored % s, OutOff: stored / s * outK,
                // The residual has the un-pooled channels: PE i reads channel oc0 + i (resK = 0 without one).
                ResLane0: resK == 0 ? 0 : oc0 % s, ResOff: oc0 / s * resK, Wb: 0, Tb: 0);
        }
    }

    /// <summary>
    /// Lane mode: channel c in, channel c out, so a tile is a P-aligned block of channels; P
    /// divides S, so its input lanes, its output lanes and its residual lanes each lie in one word.
    /// </summary>
    private static IEnumerable<TileDescriptor> LaneTiles(int channels, int inK, int outK, int resK, int poolLog2, EngineConfig config)
    {
        int s = config.S, p = config.P;
        for (int oc0 = 0; oc0 < channels; oc0 += p)
        {
            int active = Math.Min(p, channels - oc0), cb = oc0 / s, stored = oc0 >> poolLog2;
            yield return new TileDescriptor(
                Oc0: oc0, Active: active, InLo: oc0, InHi: oc0 + active,
                CbLo: cb, CbOff: cb * inK, Ncb: 1, NcbK: inK,
                LaneLo: oc0 % s, LaneHi: oc0 % s + active,
                Lane0: stored % s, OutOff: stored / s * outK,
                ResLane0: resK == 0 ? 0 : oc0 % s, ResOff: oc0 / s * resK, Wb: 0, Tb: 0);
        }
    }

    private static LayerDescriptor Describe(FusedLayer layer, DotPart part, FmRegion inR, FmRegion outR, FmRegion? resR,
        int nThr, int id, bool endLayer, bool last, int tileBase, int nTiles)
    {
        var g = layer.Dot.Geometry;
        var read = layer.Dot.ReadType;
        bool bipolarIn = read.IsBipolar, bipolarW = layer.Dot.WeightType == WeightType.Bipolar;
        int pix = inR.ChannelBlocks * inR.Planes, row = inR.Shape.W * pix;
        int outPix = outR.ChannelBlocks * outR.Planes;
        return new LayerDescriptor(
            // A part's window starts at its first word; the steps keep the stored row length.
            InBase: inR.Base + (part.In.Y0 * inR.Shape.W + part.In.X0) * pix, InH: part.In.H, InW: part.In.W,
            InCb: inR.ChannelBlocks, InK: inR.Planes,
            // Only a B input padded with +1 reads stored ones outside the map; U(k) and I(w) pad with 0, B with -1 as stored 0.
            PadOne: bipolarIn && g.PadValue > 0 && !part.Pad.IsNone ? 1 : 0,
            OutBase: outR.Base + (part.Out.Y0 * outR.Shape.W + part.Out.X0) * outPix, OutCb: outR.ChannelBlocks, OutK: outR.Planes,
            OutRaw: layer.IsRaw ? 1 : 0, NThr: nThr, XcpLog2: layer.PoolLog2,
            ResKind: resR is null ? LayerDescriptor.ResNone
                : resR.Type.IsBipolar ? LayerDescriptor.ResBipolar : resR.Type.IsUnsigned ? LayerDescriptor.ResUnsigned : LayerDescriptor.ResSigned,
            ResBase: resR?.Base ?? 0, ResK: resR?.Planes ?? 0, ResPixStep: resR is null ? 0 : resR.ChannelBlocks * resR.Planes,
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
            OutXStep: part.Out.Sx * outPix, OutYStep: part.Out.Sy * outR.Shape.W * outPix,
            EndLayer: endLayer ? 1 : 0);
    }
}
