using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The vertical walk (docs/engine.md "Vertical walk"): a vertical strip (KH x 1) has its taps
/// in different rows, which no access of consecutive words reaches, so the engine walks it
/// transposed: positions down a column, the column's taps along the window's runs, with
/// accesses whose words lie one row apart. The descriptor is the layer described with x and
/// y exchanged (every address step is a field); the banks see rows whose pitch is 1 modulo
/// the banks, so the words of a column access still fall into distinct banks.
/// </summary>
public static class VerticalWalk
{
    /// <summary>
    /// Whether a layer may walk columns, before its regions are placed: a one-part lane-mode
    /// layer (depthwise, stride-1 sum pool) of a KH x 1 kernel (KH from 2 to S), stride 1,
    /// dilation 1 down the column, and banks to read several rows. A fused residual or gate
    /// walks its operand's columns too (its rows pitched like the input's and output's).
    /// </summary>
    public static bool Candidate(FusedLayer layer, EngineConfig config)
    {
        var dot = layer.Dot;
        var g = dot.Geometry;
        return config.Banks > 1 && dot.Mode == DotMode.Lane && dot.Broadcast is null
            && dot.Words().Count == 1 && dot.Parts.Count == 0
            && g.Kernel.X == 1 && g.Kernel.Y >= 2 && g.Kernel.Y <= config.S
            && g.Stride == new Pair(1, 1) && g.Dilation.Y == 1;
    }

    /// <summary>The smallest row pitch of at least <paramref name="rowWords"/> words that is 1 modulo the banks.</summary>
    public static int Pitch(int rowWords, int banks) => rowWords + ((1 - rowWords) % banks + banks) % banks;

    /// <summary>Whether a placed region's rows are pitched for column accesses.</summary>
    public static bool Pitched(FmRegion region, EngineConfig config) => region.RowWords % config.Banks == 1 % config.Banks;

    /// <summary>The part with x and y exchanged: kernel 1 x KH, the column as the row.</summary>
    public static DotPart Transposed(DotPart part) => new(
        new Pair(part.Kernel.X, part.Kernel.Y), new Pair(part.Stride.X, part.Stride.Y),
        new Padding(part.Pad.Left, part.Pad.Top, part.Pad.Right, part.Pad.Bottom),
        new Window(part.In.X0, part.In.Y0, part.In.W, part.In.H),
        new OutGrid(part.Out.X0, part.Out.Y0, part.Out.Sx, part.Out.Sy, part.Out.W, part.Out.H));

    /// <summary>
    /// The descriptor of the transposed walk: output (y', x') = (x, y) moves down a column
    /// along x' (input rows R_in words apart, output rows R_out) and to the next column along
    /// y' (K words); taps run down the column (dx_step = R_in). A residual or gate operand is
    /// read down the column too: positions a row apart, the next column K words on.
    /// </summary>
    public static LayerDescriptor Transpose(LayerDescriptor d, FmRegion inR, FmRegion outR, FmRegion? resR)
    {
        int pix = inR.Planes, row = inR.RowWords;
        return d with
        {
            InH = d.InW, InW = d.InH, Oh = d.Ow, Ow = d.Oh, Kh = d.Kw, Kw = d.Kh, Pt = d.Pl, Pl = d.Pt,
            PixStep = row, RowStep = pix, SxStep = d.Sy * row, SyStep = d.Sx * pix,
            DxStep = d.Dy * row, DyStep = d.Dx * pix, PadStep = d.Pt * row + d.Pl * pix,
            Sy = d.Sx, Sx = d.Sy, Dy = d.Dx, Dx = d.Dy,
            OutXStep = outR.RowWords, OutYStep = outR.Planes, Vert = 1,
            ResPixStep = resR?.RowWords ?? 0, ResRowStep = resR?.Planes ?? 0,
        };
    }
}
