using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random Conv2d / Linear layers with a fused residual Add(acc, r) in either operand
/// order and shifts 0..3, r the U(k) or B network input, a thresholded U(k) / B map or a raw
/// I(w) accumulator of an earlier layer, the sum thresholded or stored raw, run on 4 x 8,
/// 16 x 32 and 64 x 64: every stored tensor equals the reference and the cycles equal the
/// cycle model.
/// </summary>
public sealed class RandomResidualAddTests
{
    private const int Count = 24;
    private static readonly EngineConfig[] Configs = [new(4, 8), new(16, 32), new(64, 64)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Count).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_residual_layer_equals_the_reference_on_every_config(int index)
    {
        var r = SeededRandom.For(4000 + index, "engine residual case");
        var (g, description) = RandomResidualLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
        {
            var (program, _) = EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
            var d = program.Layers.Single(l => l.Source.Add is not null).Descriptor;
            Assert.Equal(d.ResK + 1, d.ResidualCycles);
        }
    }

    [Fact]
    public void Random_cases_cover_every_residual_kind_both_orders_every_shift_and_both_outputs()
    {
        var seen = new HashSet<string>();
        foreach (var index in Enumerable.Range(0, Count))
        {
            var r = SeededRandom.For(4000 + index, "engine residual case");
            var (g, _) = RandomResidualLayer(r);
            var program = LoweringPipeline.Lower(g, Configs[0]);
            var layer = program.Layers.Single(l => l.Source.Add is not null);
            var d = layer.Descriptor;
            seen.Add("kind " + d.ResKind);
            seen.Add("sa " + d.Sa);
            seen.Add("sb " + d.Sb);
            seen.Add(layer.Source.IsRaw ? "raw" : "threshold");
            seen.Add(g["add"].Inputs[0] == layer.Source.Dot.Out.Name ? "acc first" : "acc second");
            if (layer.Source.Add!.Residual.Name == "input") seen.Add("input residual");
        }
        Assert.Empty(new[] { "kind 1", "kind 2", "kind 3", "sa 0", "sa 1", "sa 2", "sa 3", "sb 0", "sb 1", "sb 2", "sb 3",
            "raw", "threshold", "acc first", "acc second", "input residual" }.Except(seen));
    }

    /// <summary>A residual tensor, a same-shape Conv2d or Linear, the Add in a random order, and a threshold or none.</summary>
    internal static (Graph Graph, string Description) RandomResidualLayer(SeededRandom r)
    {
        var inType = AnyQuantized(r);
        int c = Between(r, 1, 12), h = Between(r, 1, 6), w = Between(r, 1, 6);
        var b = new NetworkBuilder("random-residual");
        var x = b.Input(c, h, w, inType);
        int kind = (int)r.Next(0, 3);
        int oc = kind == 0 ? c : Between(r, 1, 12);
        TensorInfo residual = kind switch
        {
            0 => x,
            1 => b.MultiThreshold(b.Conv2d(x, oc, 1, name: "skip"), AnyQuantized(r), name: "skip.act"),
            _ => b.Conv2d(x, oc, 1, bias: r.NextBool(), name: "skip"),
        };
        var weights = r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar;
        bool bias = r.NextBool();
        TensorInfo acc;
        string description;
        if (r.Next(0, 4) == 0)
        {
            acc = b.Linear(x, oc, weights, bias, name: "layer");
            description = $"linear {c}x{h}x{w} {inType} -> {oc}";
        }
        else
        {
            // Stride 1 and "same" padding keep H x W, as the Add needs.
            var kernel = new Pair(Between(r, 1, 3), Between(r, 1, 3));
            int top = Between(r, 0, kernel.Y - 1), left = Between(r, 0, kernel.X - 1);
            var pad = new Padding(top, left, kernel.Y - 1 - top, kernel.X - 1 - left);
            int? padValue = inType.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
            var divisors = Enumerable.Range(1, Math.Min(c, oc)).Where(d => c % d == 0 && oc % d == 0 && d <= 4).ToArray();
            int groups = Pick(r, divisors);
            acc = b.Conv2d(x, oc, kernel, new Pair(1, 1), pad, 1, groups, null, weights, padValue, bias, name: "layer");
            description = $"conv {c}x{h}x{w} {inType} -> {oc} k={kernel} pad={pad} pv={padValue ?? 0} groups={groups}";
        }
        int sa = Between(r, 0, 3), sb = Between(r, 0, 3);
        bool accFirst = r.NextBool();
        var sum = accFirst ? b.Add(acc, residual, sa, sb, name: "add") : b.Add(residual, acc, sa, sb, name: "add");
        bool raw = r.NextBool();
        var outType = AnyQuantized(r);
        b.Output(raw ? sum : b.MultiThreshold(sum, outType, name: "act"));
        description += $" weights={weights.Name()} bias={bias} + {residual.Name} {residual.Type} (acc {(accFirst ? "first" : "second")}, shifts {sa} {sb}) -> {(raw ? "raw" : outType.ToString())}";
        return (FillParameters(b.Build(), r), description);
    }
}
