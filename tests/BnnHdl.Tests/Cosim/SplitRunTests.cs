using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Emit;
using BnnHdl.Tests.Support;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// A co-simulation split into parts run side by side (<see cref="SplitRun"/>) is the
/// continuous run: the same layers, outputs and cycles, every seam's feature memory equal.
/// all-ops on 8 x 16 has every engine operation and builds in seconds.
/// </summary>
public sealed class SplitRunTests
{
    private static readonly Lazy<(Graph Graph, TensorData Input, LoweredProgram Program)> Network = new(() =>
    {
        var (g, input) = SeededNetwork.FromZoo(AllOpsModel.Name, 3);
        return (g, input, LoweringPipeline.Lower(g, new EngineConfig(8, 16)));
    });

    private static CosimReport Run(SimulatorKind kind, int parts)
    {
        var (_, input, program) = Network.Value;
        using var dir = new TempFolder();
        return Cosimulation.Run(program, input, kind, Path.Combine(dir.Path, "rtl"),
            new CosimOptions { Cache = CosimCheck.Cache, MaxCycles = 2_000_000, Parts = parts });
    }

    [Theory]
    [InlineData(SimulatorKind.Verilator, 3)]
    [InlineData(SimulatorKind.Icarus, 2)]
    public void A_split_run_reports_what_the_continuous_run_does(SimulatorKind kind, int parts)
    {
        var (g, input, program) = Network.Value;
        var whole = Run(kind, 1);
        var split = Run(kind, parts);
        // Every layer: the same id, output tensor and cycles; the same run cycles.
        Assert.Equal(whole.Layers, split.Layers);
        Assert.Equal(whole.RunCycles, split.RunCycles);
        Assert.Empty(whole.Seams);
        Assert.Equal(SplitRun.Cuts(program, parts), split.Seams.Select(s => s.LayerId));
        Assert.All(split.Seams, s => Assert.Equal((program.Dimensions.FmWords, 0), (s.Words, s.DifferingWords)));
        var verdict = CosimVerdict.Of(split, ReferenceModel.Run(g, input), program);
        Assert.True(verdict.Passed, verdict.Format());
    }

    [Fact]
    public void A_part_that_fails_is_named_with_its_layers()
    {
        var (_, input, program) = Network.Value;
        int cut = SplitRun.Cuts(program, 2)[0];
        using var dir = new TempFolder();
        var e = Assert.Throws<BnnHdlException>(() => Cosimulation.Run(program, input, SimulatorKind.Verilator, Path.Combine(dir.Path, "rtl"),
            new CosimOptions { Cache = CosimCheck.Cache, MaxCycles = 10, Parts = 2 }));
        Assert.Equal($"part 1 of 2 (layers 0-{cut - 1}, from '{program.Layers[0].Source.Name}'): verilator co-simulation failed: no done after 10 cycles", e.Message);
    }

    [Fact]
    public void Cuts_fall_where_the_predicted_cycles_reach_each_share()
    {
        var program = Network.Value.Program;
        var cycles = CycleModel.Predict(program).Layers;
        long total = cycles.Sum();
        var cuts = SplitRun.Cuts(program, 3);
        Assert.Equal(2, cuts.Count);
        for (int j = 1; j <= cuts.Count; j++)
        {
            // The layers before the cut hold at least j / 3 of the cycles; one layer fewer would not.
            int k = cuts[j - 1];
            Assert.True(cycles.Take(k).Sum() * 3 >= j * total, $"cut {j} at {k}");
            Assert.True(cycles.Take(k - 1).Sum() * 3 < j * total, $"cut {j} at {k}");
        }
        Assert.Empty(SplitRun.Cuts(program, 1));
        // As many parts as layers: one layer each.
        Assert.Equal(Enumerable.Range(1, cycles.Count - 1), SplitRun.Cuts(program, cycles.Count));
    }

    [Fact]
    public void More_parts_than_layers_is_an_error_naming_the_network()
    {
        var program = Network.Value.Program;
        int layers = program.Layers.Count;
        var e = Assert.Throws<BnnHdlException>(() => SplitRun.Cuts(program, layers + 1));
        Assert.Equal($"network 'all-ops' has {layers} engine layer(s): it cannot run in {layers + 1} parts", e.Message);
    }

    [Fact]
    public void A_layer_starts_from_the_outputs_of_the_layers_before_it()
    {
        var (g, input, program) = Network.Value;
        var reference = ReferenceModel.Run(g, input);
        int k = program.Layers.Count / 2;
        var starts = EngineSimulator.StartsOf(program, input, [0, k]);
        // Layer 0 starts at word 0 from the initial image.
        Assert.Equal(new LayerStart(0, 0, program.FeatureImage(input)), starts[0]);
        // Layer k from a memory holding layer k - 1's output (as the reference computes it).
        Assert.Equal(k, starts[1].LayerId);
        var before = program.Layers[k - 1];
        var stored = FeatureLayout.Load(starts[1].FeatureMemory.Chunks.AsSpan(), before.OutRegion, program.Config.S);
        Assert.Equal(program.Expected(reference, before.Source.ExpectedTensor), stored);
        Assert.Equal(k, LayerDescriptor.FromFields(program.Layout.Program.Unpack(program.Images.Program.Word(starts[1].ProgramWord))).LayerId);
    }

    [Fact]
    public void A_seam_that_differs_fails_the_verdict_naming_the_word()
    {
        var layers = new[] { new LayerVerdict("a", "a", null, 5, 5), new LayerVerdict("b", "b", null, 4, 4) }.ToEquatableArray();
        var verdict = new CosimVerdict(SimulatorKind.Verilator, layers, 9, 9,
            EquatableArray.From(new CosimSeam(1, "b", 64, 2, 17, "00ff", "00fe")));
        Assert.False(verdict.Passed);
        Assert.Equal(
            "verilator: a  bit-exact; 5 cycles as predicted\n" +
            "verilator: b  bit-exact; 4 cycles as predicted\n" +
            "verilator: cut before b: FEATURE MEMORY DIFFERS at word 17: the part after started from 00ff, the part before ended with 00fe (2 words differ)\n" +
            "verilator: FAIL: 2 of 2 layers bit-exact and cycle-exact, run 9 cycles as predicted (in 2 parts)\n",
            verdict.Format());
        var equal = verdict with { Seams = EquatableArray.From(new CosimSeam(1, "b", 64, 0)) };
        Assert.True(equal.Passed);
        Assert.Contains("verilator: cut before b: the feature memory the part before ended with is the one the part after started from (64 words equal)\n", equal.Format());
    }
}
