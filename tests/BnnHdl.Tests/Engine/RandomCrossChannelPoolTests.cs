using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random single layers Conv2d / Linear -> MultiThreshold -> CrossChannelMaxPool(G),
/// G in {2, 4}, with U(k) and B outputs, dense, equal and uneven groups (group bounds at
/// multiples of G), every input type and pad value, run on 4 x 8, 16 x 32 and 64 x 64 and on
/// two engines with segments and PE groups (a PE group holds whole pooling groups): the
/// stored pooled tensor equals the reference and the cycles equal the cycle model.
/// </summary>
public sealed class RandomCrossChannelPoolTests
{
    private const int Count = 24;
    internal static readonly EngineConfig[] Configs =
        [new(4, 8), new(16, 32), new(64, 64), new(8, 16, segments: 2, banks: 16, peGroups: 4), new(64, 64, segments: 4, banks: 16, peGroups: 4)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Count).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_pooled_layer_equals_the_reference_on_every_config(int index)
    {
        var r = SeededRandom.For(3000 + index, "engine xcp case");
        var (g, description) = RandomPooledLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
        {
            var (program, _) = EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
            Assert.Equal(((CrossChannelMaxPoolOp)g["pool"].Op).Group, 1 << program.Layers[0].Descriptor.XcpLog2);
        }
    }

    [Fact]
    public void Pooled_layers_use_pe_groups()
    {
        int grouped = 0;
        foreach (var index in Enumerable.Range(0, Count))
        {
            var (g, _) = RandomPooledLayer(SeededRandom.For(3000 + index, "engine xcp case"));
            foreach (var config in Configs.Where(c => c.PeGroups > 1))
                grouped += LoweringPipeline.Lower(g, config).Layers.Count(l => l.Descriptor.XcpLog2 > 0 && l.Descriptor.PeGroups > 1);
        }
        Assert.True(grouped >= 10, $"{grouped} pooled program words use PE groups");
    }

    [Fact]
    public void Random_cases_cover_both_groups_both_output_kinds_and_real_maxima()
    {
        var seen = new HashSet<string>();
        foreach (var index in Enumerable.Range(0, Count))
        {
            var r = SeededRandom.For(3000 + index, "engine xcp case");
            var (g, _) = RandomPooledLayer(r);
            var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
            int group = ((CrossChannelMaxPoolOp)g["pool"].Op).Group;
            seen.Add("G" + group);
            seen.Add(g["act"].Output.Type.IsBipolar ? "out B" : "out U");
            if (g["layer"].Op is LinearOp) seen.Add("linear");
            if (g["layer"].Op is Conv2dOp c) seen.Add(c.Groups.IsUneven ? "uneven" : c.Groups.Count > 1 ? "grouped" : "dense");
            // A pooled value that differs from the first member of its group: the max mattered.
            var run = ReferenceModel.Run(g, input);
            var (pooled, full) = (run["pool"], run["act"]);
            int hw = full.Shape.Positions;
            if (Enumerable.Range(0, pooled.Values.Count).Any(v => pooled.Values[v] != full.Values[v / hw * group * hw + v % hw]))
                seen.Add("max G" + group);
        }
        Assert.Empty(new[] { "G2", "G4", "out B", "out U", "linear", "dense", "grouped", "uneven", "max G2", "max G4" }.Except(seen));
    }

    /// <summary>One Conv2d or Linear, a random MultiThreshold and a pool whose groups fit the conv's groups.</summary>
    internal static (Graph Graph, string Description) RandomPooledLayer(SeededRandom r)
    {
        int group = r.NextBool() ? 2 : 4;
        var inType = AnyQuantized(r);
        int c = Between(r, 1, 12), h = Between(r, 1, 6), w = Between(r, 1, 6);
        var b = new NetworkBuilder("random-xcp");
        var x = b.Input(c, h, w, inType);
        var weights = r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar;
        bool bias = r.NextBool();
        TensorInfo acc;
        string description;
        int kind = (int)r.Next(0, 5);
        if (kind == 0)
        {
            int of = group * Between(r, 1, 5);
            acc = b.Linear(x, of, weights, bias, name: "layer");
            description = $"linear {c}x{h}x{w} {inType} -> {of}";
        }
        else
        {
            var kernel = new Pair(Between(r, 1, 3), Between(r, 1, 3));
            var stride = new Pair(Between(r, 1, 2), Between(r, 1, 2));
            var pad = new Padding(Between(r, 0, 1), Between(r, 0, 1), Between(r, 0, 1), Between(r, 0, 1));
            while (kernel.Y > h + pad.Top + pad.Bottom) pad = pad with { Bottom = pad.Bottom + 1 };
            while (kernel.X > w + pad.Left + pad.Right) pad = pad with { Right = pad.Right + 1 };
            int? padValue = inType.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
            int oc;
            int equal = 1;
            GroupRange[]? uneven = null;
            if (kind <= 2)
            {
                // Equal groups: a divisor of C, each with a multiple of G outputs.
                var divisors = Enumerable.Range(1, c).Where(d => c % d == 0 && d <= 4).ToArray();
                equal = Pick(r, divisors);
                oc = equal * group * Between(r, 1, Math.Max(1, 8 / equal));
            }
            else
            {
                // Uneven groups: consecutive output ranges of multiples of G on random input ranges.
                var ranges = new List<GroupRange>();
                int start = 0, groups = Between(r, 1, 4);
                for (int k = 0; k < groups; k++)
                {
                    int end = start + group * Between(r, 1, 3);
                    int lo = Between(r, 0, c - 1), hi = Between(r, lo + 1, c);
                    ranges.Add(new GroupRange(lo, hi, start, end));
                    start = end;
                }
                oc = start;
                uneven = ranges.ToArray();
            }
            acc = b.Conv2d(x, oc, kernel, stride, pad, 1, equal, uneven, weights, padValue, bias, name: "layer");
            description = $"conv {c}x{h}x{w} {inType} -> {oc} k={kernel} s={stride} pad={pad} pv={padValue ?? 0} groups={(uneven is null ? equal.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Join(" ", uneven))}";
        }
        var outType = AnyQuantized(r);
        var act = b.MultiThreshold(acc, outType, name: "act");
        b.Output(b.CrossChannelMaxPool(act, group, name: "pool"));
        description += $" weights={weights.Name()} bias={bias} -> {outType} -> pool G={group}";
        return (FillParameters(b.Build(), r), description);
    }
}
