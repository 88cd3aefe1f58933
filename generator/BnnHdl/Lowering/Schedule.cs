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
            var resRegion = layer.Add is null ? null : memory.Region(layer.Add.Residual.Name);
            int nThr = layer.Threshold?.Count ?? 0;

            var tiles = new List<TileDescriptor>();
            foreach (var group in layer.Dot.Geometry.Groups)
                foreach (var tile in GroupTiles(group, inRegion.Planes, outRegion.Planes, resRegion?.Planes ?? 0, layer.PoolLog2, config))
                {
                    tiles.Add(tile with { Wb = wb, Tb = tb });
                    wb += layer.Dot.Geometry.Taps * tile.Ncb;
                    tb += 1 + nThr;
                }

            layers.Add(new ScheduledLayer(layer, inRegion, outRegion,
                Describe(layer, inRegion, outRegion, resRegion, nThr, id, id == fused.Count - 1, tileBase, tiles.Count),
                tiles.ToEquatableArray()));
            tileBase += tiles.Count;
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

    private static LayerDescriptor Describe(FusedLayer layer, FmRegion inR, FmRegion outR, FmRegion? resR, int nThr, int id, bool last, int tileBase, int nTiles)
    {
        var g = layer.Dot.Geometry;
        bool bipolarIn = layer.In.Type.IsBipolar, bipolarW = layer.Dot.WeightType == WeightType.Bipolar;
        int pix = inR.ChannelBlocks * inR.Planes, row = inR.Shape.W * pix;
        return new LayerDescriptor(
            InBase: inR.Base, InH: inR.Shape.H, InW: inR.Shape.W, InCb: inR.ChannelBlocks, InK: inR.Planes,
            // Only a B input padded with +1 reads stored ones outside the map; U(k) pads with 0, B with -1 as stored 0.
            PadOne: bipolarIn && g.PadValue > 0 && !g.Pad.IsNone ? 1 : 0,
            OutBase: outR.Base, OutCb: outR.ChannelBlocks, OutK: outR.Planes, OutRaw: layer.IsRaw ? 1 : 0, NThr: nThr, XcpLog2: layer.PoolLog2,
            ResKind: resR is null ? LayerDescriptor.ResNone
                : resR.Type.IsBipolar ? LayerDescriptor.ResBipolar : resR.Type.IsUnsigned ? LayerDescriptor.ResUnsigned : LayerDescriptor.ResSigned,
            ResBase: resR?.Base ?? 0, ResK: resR?.Planes ?? 0, ResPixStep: resR is null ? 0 : resR.ChannelBlocks * resR.Planes,
            Sa: layer.Add?.ShiftAcc ?? 0, Sb: layer.Add?.ShiftRes ?? 0,
            Oh: outR.Shape.H, Ow: outR.Shape.W, Kh: g.Kernel.Y, Kw: g.Kernel.X, Pt: g.Pad.Top, Pl: g.Pad.Left,
            PixStep: pix, RowStep: row, SxStep: g.Stride.X * pix, SyStep: g.Stride.Y * row,
            DxStep: g.Dilation.X * pix, DyStep: g.Dilation.Y * row, PadStep: g.Pad.Top * row + g.Pad.Left * pix,
            Sy: g.Stride.Y, Sx: g.Stride.X, Dy: g.Dilation.Y, Dx: g.Dilation.X,
            // acc = (cross << SC) - (corr << SK) + bias': SC = log2(alpha_a * alpha_w), SK = log2(alpha_a),
            // and the correction exists only for bipolar weights (beta_w = -1).
            Sc: (bipolarIn ? 1 : 0) + (bipolarW ? 1 : 0), Sk: bipolarIn ? 1 : 0, Corr: bipolarW ? 1 : 0,
            TileBase: tileBase, NTiles: nTiles, OutPixStep: outR.ChannelBlocks * outR.Planes,
            LayerId: id, Last: last ? 1 : 0,
            OutXStep: outR.ChannelBlocks * outR.Planes, OutYStep: outR.Shape.W * outR.ChannelBlocks * outR.Planes);
    }
}
