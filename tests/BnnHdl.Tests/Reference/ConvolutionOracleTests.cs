using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Reference;

/// <summary>Conv2d and Linear of the reference model against the oracle on seeded random cases.</summary>
public sealed class ConvolutionOracleTests
{
    public static TheoryData<string, WeightType> TypeCombinations()
    {
        var data = new TheoryData<string, WeightType>();
        foreach (var t in QuantizedTypes)
            foreach (var w in new[] { WeightType.Bipolar, WeightType.Unipolar })
                data.Add(t.Name, w);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypeCombinations))]
    public void Conv2d_matches_the_oracle_for_every_geometry(string inputType, WeightType weights)
    {
        var type = DataType.Parse(inputType);
        var r = SeededRandom.For(11, $"conv {inputType} {weights}");
        for (int i = 0; i < 12; i++)
        {
            var (g, description) = RandomConv(r, type, weights, groupKind: i % 4, wide: i == 11);
            CheckAgainstOracle(FillParameters(g, r), r, $"case {i} ({description})");
        }
    }

    [Theory]
    [MemberData(nameof(TypeCombinations))]
    public void Linear_matches_the_oracle_at_every_position(string inputType, WeightType weights)
    {
        var type = DataType.Parse(inputType);
        var r = SeededRandom.For(12, $"linear {inputType} {weights}");
        for (int i = 0; i < 6; i++)
        {
            var b = new NetworkBuilder("linear");
            // Channel counts across the 64-term word boundary.
            int c = Pick(r, 1, 7, 63, 64, 65, 150);
            var x = b.Input(c, Between(r, 1, 3), Between(r, 1, 3), type);
            b.Output(b.Linear(x, Between(r, 1, 9), weights, bias: r.NextBool()));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i} (C={c})");
        }
    }

    /// <summary>
    /// A conv with random kernel, stride, dilation and asymmetric padding; groups dense (0),
    /// equal (1), depthwise with multiplier (2) or uneven with overlapping input ranges (3).
    /// <paramref name="wide"/> makes a case large enough for several words and parallel rows.
    /// </summary>
    private static (Graph Graph, string Description) RandomConv(SeededRandom r, DataType type, WeightType weights, int groupKind, bool wide)
    {
        int ic = wide ? Between(r, 20, 40) : Between(r, 1, 8);
        var kernel = new Pair(Between(r, 1, 4), Between(r, 1, 4));
        var dilation = new Pair(Between(r, 1, 3), Between(r, 1, 3));
        var stride = new Pair(Between(r, 1, 3), Between(r, 1, 3));
        var pad = new Padding(Between(r, 0, 3), Between(r, 0, 3), Between(r, 0, 3), Between(r, 0, 3));
        int extentY = dilation.Y * (kernel.Y - 1) + 1, extentX = dilation.X * (kernel.X - 1) + 1;
        int h = Between(r, Math.Max(1, extentY - pad.Top - pad.Bottom), extentY + (wide ? 16 : 6));
        int w = Between(r, Math.Max(1, extentX - pad.Left - pad.Right), extentX + (wide ? 16 : 6));
        int? padValue = type.IsBipolar ? Pick(r, 1, -1) : null;
        bool bias = r.NextBool();

        var b = new NetworkBuilder("conv");
        var x = b.Input(ic, h, w, type);
        string groups;
        TensorInfo y;
        switch (groupKind)
        {
            case 0:
                groups = "dense";
                y = b.Conv2d(x, Between(r, 1, wide ? 20 : 6), kernel, stride, pad, dilation, weights: weights, padValue: padValue, bias: bias);
                break;
            case 1:
                int g = Pick(r, Enumerable.Range(1, ic).Where(d => ic % d == 0).ToArray());
                groups = $"groups={g}";
                y = b.Conv2d(x, g * Between(r, 1, 3), kernel, stride, pad, dilation, groups: g, weights: weights, padValue: padValue, bias: bias);
                break;
            case 2:
                int multiplier = Between(r, 1, 2);
                groups = $"depthwise x{multiplier}";
                y = b.DepthwiseConv2d(x, kernel, stride, pad, dilation, multiplier, weights, padValue, bias);
                break;
            default:
                var ranges = UnevenGroups(r, ic);
                groups = "uneven " + string.Join(" ", ranges);
                y = b.Conv2d(x, ranges[^1].OutEnd, kernel, stride, pad, dilation, unevenGroups: ranges, weights: weights, padValue: padValue, bias: bias);
                break;
        }
        b.Output(y);
        return (b.Build(), $"{type} {ic}x{h}x{w} k={kernel} s={stride} d={dilation} pad={pad} pv={padValue} {groups} {weights} bias={bias}");
    }

    /// <summary>Consecutive output ranges of random sizes, each reading a random (possibly overlapping) input range.</summary>
    private static GroupRange[] UnevenGroups(SeededRandom r, int ic)
    {
        var ranges = new List<GroupRange>();
        int outAt = 0;
        for (int n = Between(r, 1, 4); n > 0; n--)
        {
            int start = Between(r, 0, ic - 1), end = Between(r, start + 1, ic), outs = Between(r, 1, 3);
            ranges.Add(new GroupRange(start, end, outAt, outAt + outs));
            outAt += outs;
        }
        return ranges.ToArray();
    }
}
