using System.Globalization;
using BnnHdl.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Reports;
using BnnHdl.Tests.Emit;
using BnnHdl.Tests.Support;
using Xunit.Sdk;

namespace BnnHdl.Tests.Reports;

/// <summary>
/// The gate model against Yosys: each replicated module synthesized on its own at the
/// widths of the default engine (where nearly all of its cells are), and whole engines the
/// suite can afford to synthesize, module kind by module kind.
/// </summary>
public class GateEstimateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The widths of mscan-t-sparseinst on the engine `make run` builds (64 x 64, 16
    /// segments, 32 banks); MscanSparseInstTests checks them against its lowering.
    /// </summary>
    internal static readonly EngineWidths Default = new(
        P: 64, S: 64, Segments: 16, PeGroups: 1, Banks: 32, AccumulatorBits: 15, ThresholdBits: 13, ThresholdSlots: 4,
        WorkBits: 15, CountBits: 2, PlaneBits: 4, BroadcastBits: 3, PopcountBits: 7,
        ScBits: 1, SaBits: 1, SbBits: 1, ResPlaneBits: 2, Lane0Bits: 6, ResLane0Bits: 1,
        LaneLoBits: 1, SxStepBits: 8, BcWordStepBits: 2, PositionCountBits: 11, ProgramWordBits: 317, TileWordBits: 105, CoordinateBits: 10);

    [Theory]
    [InlineData("bnn_popcount", "N=4")]
    [InlineData("bnn_popcount", "N=16")]
    [InlineData("bnn_popcount", "N=64")]
    [InlineData("bnn_accum", "CW=7 AW=15 PW=4")]
    [InlineData("bnn_accum", "CW=10 AW=20 PW=3")]
    [InlineData("bnn_pe", "S=64 AW=15 PW=4 BW=3 SEGS=16 SMW=3")]
    [InlineData("bnn_pe", "S=64 AW=15 PW=4 BW=1 SEGS=16 SMW=3")]
    [InlineData("bnn_pe", "S=64 AW=15 PW=4 BW=1 SEGS=1 SMW=1")]
    [InlineData("bnn_wb_lane", "AW=15 XW=15 TW=13 TS=4 TML=53 QW=2 NTW=2 SCW=1 SAW=1 SBW=1 RPW=2 XIW=4")]
    [InlineData("bnn_wb_lane", "AW=20 XW=20 TW=18 TS=8 TML=145 QW=3 NTW=3 SCW=2 SAW=2 SBW=2 RPW=3 XIW=5")]
    [InlineData("bnn_channel_pool", "P=64 QW=2 QALL=128")]
    public void A_module_s_own_cells_agree_with_yosys_within_8_percent(string module, string parameters)
    {
        var p = parameters.Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => int.Parse(kv[1], CultureInfo.InvariantCulture));
        long model = module switch
        {
            "bnn_popcount" => ModuleCells.Popcount(p["N"]),
            "bnn_accum" => ModuleCells.Accumulator(p["CW"], p["AW"], p["PW"]),
            "bnn_pe" => ModuleCells.Pe(p["S"], p["SEGS"], p["BW"]),
            "bnn_wb_lane" => ModuleCells.WbLane(p["XW"], p["TS"], p["SCW"] + p["SAW"] + p["SBW"] + p["RPW"]),
            "bnn_channel_pool" => ModuleCells.ChannelPool(p["P"], p["QW"]),
            _ => throw new ArgumentException(module, nameof(module)),
        };
        using var dir = new TempFolder();
        string sources = string.Join(' ', new[] { "bnn_popcount.v", "bnn_accum.v", "bnn_pe.v", "bnn_channel_pool.v", "bnn_wb_lane.v" }
            .Select(f => Path.Combine(SourceTree.Default.Templates, f)));
        string chparams = string.Concat(p.Select(kv => $"chparam -set {kv.Key} {kv.Value} {module}; "));
        // The popcount is the only module counted with its subtree (the model's Popcount is the whole tree).
        string flatten = module == "bnn_popcount" ? "-flatten " : "";
        var stat = YosysCells.Run(dir.Path, $"read_verilog -sv {sources}; {chparams}hierarchy -top {module}; synth {flatten}-top {module}", Timeout);
        long yosys = stat.OwnOf(module);
        Assert.True(Math.Abs(model - yosys) <= 0.08 * yosys, $"{module} {parameters}: model {model} cells, yosys {yosys}");
    }

    public static TheoryData<string, string, int, int, int, int, int> Engines => new()
    {
        { "dense-mix", "4x8", 4, 8, 1, 1, 1 },
        { "lane-mix", "16x32 with 4 segments, 8 banks", 16, 32, 4, 8, 1 },
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_estimate_agrees_with_yosys_synthesis_of_the_whole_engine(string model, string config, int p, int s, int segments, int banks, int peGroups)
    {
        var (g, input) = SeededNetwork.FromZoo(model, 7);
        var program = LoweringPipeline.Lower(g, new EngineConfig(p, s, segments: segments, banks: banks, peGroups: peGroups));
        using var dir = new TempFolder();
        string rtl = Path.Combine(dir.Path, "rtl");
        RtlEmitter.Write(program, input, rtl);
        var estimate = GateEstimate.Of(RtlParameters.Of(program));

        // The memories are black boxes (-lib): the estimate counts logic only.
        string logic = string.Join(' ', RtlEmitter.Sources.Where(f => f != "bnn_fm_banks.v" && f != "bnn_rom.v"));
        var stat = YosysCells.Run(rtl, $"read_verilog -sv -I. -lib bnn_fm_banks.v bnn_rom.v; read_verilog -sv -I. {logic}; " +
            "hierarchy -check -top bnn_engine_top; synth -top bnn_engine_top", Timeout);
        var byKind = stat.ByKind("bnn_engine_top");

        var report = new List<string>();
        foreach (var kind in estimate.Modules.GroupBy(m => m.Module))
        {
            long est = kind.Sum(m => m.Cells), actual = byKind.GetValueOrDefault(kind.Key);
            report.Add($"{kind.Key}: model {est}, yosys {actual}");
            // Modules of a few hundred cells may differ by more; they weigh nothing in the total.
            if (actual >= 2_000 && Math.Abs(est - actual) > 0.25 * actual) report.Add("  ^ off by more than 25 %");
        }
        long total = byKind.Values.Sum();
        report.Add($"total: model {estimate.Cells}, yosys {total}");
        if (Math.Abs(estimate.Cells - total) > 0.10 * total) report.Add("  ^ off by more than 10 %");
        if (report.Any(l => l.StartsWith("  ^", StringComparison.Ordinal)))
            throw new XunitException($"gate estimate of {model} on {config}:\n{string.Join('\n', report)}");
    }
}
