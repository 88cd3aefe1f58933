using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random single-layer networks over the whole v1 space (activation types B and
/// U1..U8, equal and uneven groups, asymmetric padding with every pad value, strides,
/// dilation, both weight modes, bias, raw and thresholded outputs of every type, both
/// threshold directions with INT32_MIN / INT32_MAX), each run on several engine shapes,
/// including ones with S above 64 and P, S not powers of two.
/// </summary>
public sealed class RandomConvTests
{
    private static readonly EngineConfig[] Configs =
        [new(4, 8), new(16, 32), new(64, 64), new(3, 6), new(8, 96), new(1, 1)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 48).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_layer_equals_the_reference_on_every_config(int index)
    {
        var r = SeededRandom.For(1000 + index, "engine conv case");
        var (g, description) = RandomLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }

    [Fact]
    public void Random_cases_cover_the_v1_space()
    {
        // The claim of this class, checked: every feature occurs in at least one case.
        var seen = new HashSet<string>();
        foreach (var index in Enumerable.Range(0, 48))
        {
            var (g, _) = RandomLayer(SeededRandom.For(1000 + index, "engine conv case"));
            var layer = g["layer"];
            seen.Add("in " + g.Input.Output.Type);
            seen.Add(g.Outputs[0] == "act" ? "out " + g["act"].Output.Type : "raw");
            if (layer.Op is LinearOp) seen.Add("linear");
            if (layer.Op is Conv2dOp c)
            {
                seen.Add(c.Groups.IsUneven ? "uneven" : c.Groups.Count > 1 ? "grouped" : "dense");
                if (c.Stride.Y > 1 || c.Stride.X > 1) seen.Add("stride");
                if (c.Dilation.Y > 1 || c.Dilation.X > 1) seen.Add("dilation");
                if (!c.Pad.IsNone) seen.Add("pad " + c.PadValue);
                seen.Add("weights " + c.Weights.Name());
            }
            if (layer.Params.Bias.Count > 0) seen.Add("bias");
            if (g.Outputs[0] == "act")
            {
                var p = g["act"].Params;
                foreach (var d in p.Direction) seen.Add("direction " + d);
                if (p.Thresholds.Contains(int.MinValue)) seen.Add("INT32_MIN");
                if (p.Thresholds.Contains(int.MaxValue)) seen.Add("INT32_MAX");
            }
        }
        string[] wanted =
        [
            "in B", .. Enumerable.Range(1, 8).Select(k => $"in U{k}"), "out B", .. Enumerable.Range(1, 8).Select(k => $"out U{k}"),
            "raw", "linear", "dense", "grouped", "uneven", "stride", "dilation", "pad 0", "pad 1", "pad -1",
            "weights B", "weights U1", "bias", "direction 1", "direction -1", "INT32_MIN", "INT32_MAX",
        ];
        Assert.Empty(wanted.Except(seen));
    }

    /// <summary>Case <paramref name="index"/> of these tests: its layer and its input, drawn from the case's seed.</summary>
    internal static (Graph Graph, TensorData Input, string Description) Case(int index)
    {
        var r = SeededRandom.For(1000 + index, "engine conv case");
        var (g, description) = RandomLayer(r);
        return (g, Tensor(r, g.Input.Output.Shape, g.Input.Output.Type), description);
    }

    /// <summary>
    /// Wide case <paramref name="index"/>: a random layer over 33 to 100 channels, whose groups
    /// span blocks and runs of lanes (docs/engine.md "Segments", run blocks), and its input.
    /// </summary>
    internal static (Graph Graph, TensorData Input, string Description) WideLayer(int index)
    {
        var (g, description) = RandomLayer(SeededRandom.For(7000 + index, "engine wide conv case"), 33, 100);
        var r = SeededRandom.For(7000 + index, "engine wide conv input");
        return (g, Tensor(r, g.Input.Output.Shape, g.Input.Output.Type), description);
    }

    /// <summary>
    /// One Conv2d or Linear on a random input of <paramref name="minChannels"/> to
    /// <paramref name="maxChannels"/> channels, raw or followed by a random MultiThreshold.
    /// </summary>
    internal static (Graph Graph, string Description) RandomLayer(SeededRandom r, int minChannels = 1, int maxChannels = 20)
    {
        var inType = AnyQuantized(r);
        int c = Between(r, minChannels, maxChannels), h = Between(r, 1, 8), w = Between(r, 1, 8);
        var b = new NetworkBuilder("random");
        var x = b.Input(c, h, w, inType);
        TensorInfo acc;
        string description;
        bool bias = r.NextBool();
        var weights = r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar;
        if (r.Next(0, 5) == 0)
        {
            int of = Between(r, 1, 20);
            acc = b.Linear(x, of, weights, bias, name: "layer");
            description = $"linear {c}x{h}x{w} {inType} -> {of}";
        }
        else
        {
            var kernel = new Pair(Between(r, 1, 3), Between(r, 1, 3));
            var stride = new Pair(Between(r, 1, 2), Between(r, 1, 2));
            var dilation = new Pair(Between(r, 1, 2), Between(r, 1, 2));
            var pad = new Padding(Between(r, 0, 2), Between(r, 0, 2), Between(r, 0, 2), Between(r, 0, 2));
            // Keep the (dilated) window inside the padded input.
            while (dilation.Y * (kernel.Y - 1) + 1 > h + pad.Top + pad.Bottom) pad = pad with { Bottom = pad.Bottom + 1 };
            while (dilation.X * (kernel.X - 1) + 1 > w + pad.Left + pad.Right) pad = pad with { Right = pad.Right + 1 };
            int? padValue = inType.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
            var (oc, equal, uneven) = RandomGroups(r, c);
            acc = b.Conv2d(x, oc, kernel, stride, pad, dilation, equal, uneven, weights, padValue, bias, name: "layer");
            description = $"conv {c}x{h}x{w} {inType} -> {oc} k={kernel} s={stride} d={dilation} pad={pad} pv={padValue ?? 0} groups={(uneven is null ? equal.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Join(" ", uneven))}";
        }
        description += $" weights={weights.Name()} bias={bias}";
        if (r.Next(0, 3) > 0)
        {
            var outType = AnyQuantized(r);
            acc = b.MultiThreshold(acc, outType, name: "act");
            description += $" -> {outType}";
        }
        else description += " raw";
        b.Output(acc);
        return (FillParameters(b.Build(), r), description);
    }

    /// <summary>Equal groups (a divisor of C) or uneven ones: consecutive output ranges, each on a random input range.</summary>
    private static (int OutChannels, int Equal, GroupRange[]? Uneven) RandomGroups(SeededRandom r, int c)
    {
        if (r.NextBool())
        {
            var divisors = Enumerable.Range(1, c).Where(d => c % d == 0).ToArray();
            int g = Pick(r, divisors);
            return (g * Between(r, 1, Math.Max(1, 20 / g)), g, null);
        }
        int oc = Between(r, 1, 20), start = 0;
        var ranges = new List<GroupRange>();
        while (start < oc)
        {
            int end = Math.Min(oc, start + Between(r, 1, 6));
            int lo = Between(r, 0, c - 1), hi = Between(r, lo + 1, c);
            ranges.Add(new GroupRange(lo, hi, start, end));
            start = end;
        }
        // The order of the list is free; the engine must not depend on it.
        if (r.NextBool()) ranges.Reverse();
        return (oc, 1, ranges.ToArray());
    }
}
