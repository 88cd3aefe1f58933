using System.Globalization;
using System.Text;
using BnnHdl.Emit;
using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>One module of the engine: how many instances it has and the cells of each (its own logic).</summary>
public sealed record ModuleGates(string Module, string Role, long Instances, long CellsEach)
{
    public long Cells => Instances * CellsEach;
}

/// <summary>
/// The engine's logic in Yosys generic cells (what `synth` maps the RTL to, the five
/// memories excluded: they are RAM and ROM macros, sized in the summary's memory lines), per
/// module: instances from the engine's shape, cells per instance from
/// <see cref="ModuleCells"/>. A read-only analysis of the generated top's parameters, so
/// it is instant at any size (Yosys did not finish the 64 x 64 controller alone in 50 minutes); make
/// test checks it against Yosys at sizes Yosys synthesizes in seconds (GateEstimateTests).
/// </summary>
public sealed record GateEstimate(EquatableArray<ModuleGates> Modules)
{
    public long Cells => Modules.Sum(m => m.Cells);

    public static GateEstimate Of(RtlParameters rtl) => Of(EngineWidths.Of(rtl));

    public static GateEstimate Of(EngineWidths w)
    {
        // PEs: P computing the layer, P for the lane-mode corrections (each PE's own input
        // lane) and one per PE group for the shared corrections; each PE has one
        // accumulator and one leaf popcount of S / SEGS lanes per segment.
        long pes = 2L * w.P + w.PeGroups;
        int runLanes = w.S / w.Segments;
        int countBits = Math.Max(w.PopcountBits, w.BroadcastBits);   // VW of bnn_pe
        int shiftBits = w.ScBits + w.SaBits + w.SbBits + w.ResPlaneBits;
        var modules = new List<ModuleGates>
        {
            new("bnn_engine", "layer and tile sequencer, write-back addresses, descriptor fields", 1, ModuleCells.Engine(w)),
            new("bnn_beat_walker", "positions, taps, blocks and planes: read addresses, pad tests, lane masks", 1, ModuleCells.BeatWalker(w)),
            new("bnn_pe_array", "weight selection, per-PE corrections, max pooling, broadcast elements", 1, ModuleCells.PeArray(w)),
            new("bnn_seg_input", "the access's words to each position, slot, segment and PE", 1, ModuleCells.SegInput(w)),
            new("bnn_pe", "layer PEs: AND of act and weight, run counts, segment selection", w.P, ModuleCells.Pe(w.S, w.Segments, w.BroadcastBits)),
            new("bnn_pe", "correction PEs: a PE of all-ones weights per lane (lane mode) and per PE group", w.P + w.PeGroups, ModuleCells.Pe(w.S, w.Segments, 1)),
            new("bnn_popcount", $"popcount of a run of {runLanes} lanes", pes * w.Segments, ModuleCells.Popcount(runLanes)),
            new("bnn_accum", "shift by the plane, add or subtract, register", pes * w.Segments, ModuleCells.Accumulator(countBits, w.AccumulatorBits, w.PlaneBits)),
            new("bnn_wb_slots", "write-back routing: residual bits in, output words out", 1, ModuleCells.WbSlots(w)),
            new("bnn_wb_segment", "bit op of each lane's result", w.Segments, ModuleCells.WbSegment(w.P, w.CountBits)),
            new("bnn_wb_lane", "corrections, bias, residual, thresholds (with its popcount)", (long)w.Segments * w.P,
                ModuleCells.WbLane(w.WorkBits, w.ThresholdSlots, shiftBits) + ModuleCells.Popcount(w.ThresholdSlots - 1)),
            new("bnn_channel_pool", "cross-channel max of pairs and fours", w.Segments, ModuleCells.ChannelPool(w.P, w.CountBits)),
        };
        return new GateEstimate(modules.ToEquatableArray());
    }

    /// <summary>Indented per-module lines, largest first, for the engine summary.</summary>
    public string FormatModules(string indent)
    {
        var sb = new StringBuilder();
        foreach (var m in Modules.OrderByDescending(m => m.Cells).ThenBy(m => m.Module, StringComparer.Ordinal))
            sb.Append(indent).Append(string.Create(CultureInfo.InvariantCulture,
                $"{m.Module,-16} {m.Instances,6:N0} x {m.CellsEach,7:N0} = {m.Cells,10:N0}  {m.Role}")).Append('\n');
        return sb.ToString();
    }
}
