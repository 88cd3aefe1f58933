using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The readable schedule of a lowered program (<c>bnn-hdl schedule</c>): the engine's
/// dimensions, the feature-memory regions, and per layer the loop nest, the tiles and the
/// predicted cycles. Deterministic: invariant culture, program order.
/// </summary>
public static class ScheduleText
{
    public static string Format(LoweredProgram program)
    {
        var d = program.Dimensions;
        var prediction = CycleModel.Predict(program);
        var sb = new StringBuilder();
        Line(sb, $"schedule of '{program.Name}' on the engine, P x S = {program.Config.P} x {program.Config.S}");
        Line(sb, $"datapath: accumulator {d.AccumulatorBits} bits, thresholds/bias {d.ThresholdBits} bits; units: {d.Units}");
        Line(sb, $"memories: FM {d.FmWords} x {d.FmWordBits}, WM {d.WmWords} x {d.WmWordBits}, TM {d.TmWords} x {d.TmWordBits}, TT {d.TileWords} x {d.TileWordBits}, PM {d.ProgramWords} x {d.ProgramWordBits} (words x bits)");
        sb.Append('\n');

        Line(sb, $"feature memory: peak {program.Memory.PeakWords} words");
        int nameWidth = program.Memory.Regions.Max(r => r.Tensor.Length);
        int tensorWidth = program.Memory.Regions.Max(r => Tensor(r).Length);
        foreach (var r in program.Memory.Regions)
        {
            string live = r.Dies == FmRegion.End ? $"{r.Born}..end" : $"{r.Born}..{r.Dies}";
            Line(sb, $"  {r.Tensor.PadRight(nameWidth)}  words {r.Base,6}..{r.Limit - 1,-6}  {Tensor(r).PadRight(tensorWidth)}  {r.ChannelBlocks} block(s) x {r.Planes} plane(s)  live {live}");
        }

        for (int k = 0; k < program.Layers.Count; k++)
        {
            var layer = program.Layers[k];
            var s = layer.Source;
            var x = layer.Descriptor;
            var g = s.Dot.Geometry;
            sb.Append('\n');
            string elementwise = s.Add is not null ? $" + {s.Add.Name}" : s.Gate is not null ? $" + {s.Gate.Name}" : "";
            Line(sb, $"layer {x.LayerId}: {s.Name} ({s.Dot.SourceOp}{elementwise}{(s.IsRaw ? (s.Operand is null ? ", raw accumulator" : ", raw sum") : $" + {s.Threshold!.Name}")}{(s.Pool is null ? "" : $" + {s.Pool.Name}")}) -> {s.Out.Name}");
            if (s.Dot.Mode != DotMode.Dense)
                Line(sb, $"  lane mode{(s.Dot.Mode == DotMode.LaneMax ? " (maximum over the window's inside taps)" : "")}: channel c in, channel c out, one lane per PE{(s.Dot.ReadsBits && s.In.Type.IsBipolar ? "; B read as its stored bit" : "")}");
            if (layer.Parts.Count > 1)
                Line(sb, $"  {layer.Parts.Count} program words (parts), one per {(s.Dot.SourceOp == "UpsampleNearest" ? "output phase" : "bin")}; fields below are the first part's");
            if (s.Add is not null)
                Line(sb, $"  residual {s.Add.Name} at write-back: sum = (acc << {x.Sa}) + ({s.Add.Residual.Name} << {x.Sb}), reading {s.Add.Residual.Type} @{x.ResBase} ({x.ResK} plane(s), {x.ResidualCycles} cycles); sum {s.Sum.Type} [{s.Sum.Min}, {s.Sum.Max}]");
            if (s.Gate is not null)
                Line(sb, $"  gate {s.Gate.Name} at write-back: acc {(s.Gate.Gate.Type.IsBipolar ? "negated where" : "zeroed where")} {s.Gate.Gate.Name} is {(s.Gate.Gate.Type.IsBipolar ? "-1" : "0")}, reading {s.Gate.Gate.Type} @{x.ResBase} ({x.ResidualCycles} cycles); product {s.Sum.Type} [{s.Sum.Min}, {s.Sum.Max}]");
            if (s.Pool is not null)
                Line(sb, $"  cross-channel max pool G={s.Pool.Group} at write-back: {s.Threshold!.Out.Shape} {s.Threshold.Out.Type} stays in the PEs, {s.Out.Shape} is stored");
            Line(sb, $"  {s.In.Shape} {s.In.Type} -> {s.Out.Shape} {s.Out.Type} (accumulator {s.Accumulator.Type} [{s.Accumulator.Min}, {s.Accumulator.Max}]), weights {s.Dot.WeightType.Name()}");
            Line(sb, $"  kernel {g.Kernel} stride {g.Stride} dilation {g.Dilation} pad {g.Pad} pad value {g.PadValue}, {g.Groups.Count} group(s)");
            Line(sb, $"  reads {layer.InRegion.Tensor} @{x.InBase}, writes {layer.OutRegion.Tensor} @{x.OutBase}; acc = (cross << {x.Sc}){(x.Corr == 1 ? $" - (corr << {x.Sk})" : "")} + bias'{(s.IsRaw ? "" : $", {x.NThr} threshold(s)")}");
            // With segments a beat computes G positions: the loop runs over groups of G.
            // PE groups (docs/engine.md "PE groups") put the same channels on other positions.
            string spread = x.PeGroups == 1 ? "segments"
                : $"{(x.Segments > 1 ? $"{x.Segments} segments x " : "")}{x.PeGroups} PE groups of {program.Config.P >> x.PegLog2} PEs";
            string positions = x.Positions == 1 ? $"{x.Oh}x{x.Ow} positions" : $"{x.Oh}x{x.Ow} positions in {x.Groups} groups of {x.Positions} ({spread})";
            // The window carries a window row's taps in one beat; the vertical walk runs down the columns.
            string walk = x.Vert == 1 ? $", walked down the columns (the layer's {x.Kw}x{x.Kh} transposed)" : "";
            string beats = x.Win == 1 ? $"{x.Kh} window row(s) of {x.Kw} taps x ncb x {x.InK} plane(s)" : $"{x.Kh}x{x.Kw} taps x ncb x {x.InK} plane(s)";
            Line(sb, $"  loop: {x.NTiles} tile(s) x {positions}{walk} max(beats, {x.WriteBackCycles} write-back) (+ beats + 2 + write-back for the last), beats = {beats}");
            foreach (var t in layer.Tiles)
                Line(sb, $"    tile oc {t.Oc0}..{t.Oc0 + t.Active - 1} ({t.Active} PE) in {t.InLo}..{t.InHi - 1} = {Blocks(x, t, program.Config.S)}: {x.Beats(t.NcbK)} beats, wm @{t.Wb}, tm @{t.Tb}{Pooled(x, t)}");
            Line(sb, $"  cycles: {prediction.Layers[k]}");
        }
        sb.Append('\n');
        Line(sb, $"total: {prediction.Total} cycles ({prediction.Layers.Sum()} in layers + {CycleModel.RunOverhead} start)");
        return sb.ToString();
    }

    /// <summary>The words a tile reads per tap and plane: channel blocks, or with dense segments run blocks of S / G lanes.</summary>
    private static string Blocks(LayerDescriptor x, TileDescriptor t, int s) => x.LaneMode == 0 && x.SegLog2 > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{t.Ncb} run block(s) of {s >> x.SegLog2} lanes from lane {t.LaneLo} of block {t.CbLo}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Ncb} block(s) from {t.CbLo}");

    /// <summary>The stored (pooled) channels of a tile, when the layer pools.</summary>
    private static string Pooled(LayerDescriptor x, TileDescriptor t) => x.XcpLog2 == 0 ? ""
        : string.Create(CultureInfo.InvariantCulture, $", stores pooled {t.Oc0 >> x.XcpLog2}..{((t.Oc0 + t.Active) >> x.XcpLog2) - 1} on lanes {t.Lane0}..{t.Lane0 + (t.Active >> x.XcpLog2) - 1}");

    private static string Tensor(FmRegion r) => r.Shape + " " + r.Type;

    private static void Line(StringBuilder sb, FormattableString text) =>
        sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
