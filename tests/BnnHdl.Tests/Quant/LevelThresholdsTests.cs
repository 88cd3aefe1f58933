using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Quant;

/// <summary>
/// Threshold choice on given layer inputs (no network run needed): every output level must
/// occur, thresholds must be ascending and within the input's bounds.
/// </summary>
public class LevelThresholdsTests
{
    private static TensorData Tensor(Shape shape, DataType type, Func<int, long> value) =>
        TensorData.Create(shape, type, Enumerable.Range(0, (int)shape.Size).Select(value).ToArray());

    private static TensorData RandomTensor(Shape shape, long min, long max, long seed)
    {
        var r = SeededRandom.For(seed, "test");
        return Tensor(shape, DataType.SignedFor(min, max), _ => r.Next(min, max));
    }

    /// <summary>SPEC 3.4, written out independently of the code under test: levels per channel.</summary>
    private static List<HashSet<int>> Levels(TensorData x, LayerParams p, int n)
    {
        var result = new List<HashSet<int>>();
        int positions = x.Shape.Positions;
        for (int c = 0; c < x.Shape.C; c++)
        {
            var set = new HashSet<int>();
            for (int i = 0; i < positions; i++)
            {
                long v = p.Direction[c] * x.Values[c * positions + i];
                set.Add(Enumerable.Range(0, n).Count(j => v >= p.Thresholds[c * n + j]));
            }
            result.Add(set);
        }
        return result;
    }

    private static void AssertWellFormed(LayerParams p, int channels, int n, long min, long max)
    {
        Assert.Equal(channels * n, p.Thresholds.Count);
        Assert.Equal(channels, p.Direction.Count);
        for (int c = 0; c < channels; c++)
        {
            Assert.Contains(p.Direction[c], new sbyte[] { -1, 1 });
            var (low, high) = p.Direction[c] > 0 ? (min, max) : (-max, -min);
            for (int j = 0; j < n; j++)
            {
                Assert.InRange(p.Thresholds[c * n + j], low, high);
                if (j > 0) Assert.True(p.Thresholds[c * n + j - 1] <= p.Thresholds[c * n + j], $"channel {c} not ascending");
            }
        }
    }

    [Fact]
    public void ChannelsWithManyValuesReachEveryLevelOnTheirOwn()
    {
        var x = RandomTensor(new Shape(6, 8, 8), -300, 300, 1);
        var p = LevelThresholds.Choose("conv", 15, x, -300, 300, 7);
        AssertWellFormed(p, 6, 15, -300, 300);
        var levels = Levels(x, p, 15);
        Assert.All(levels, set => Assert.Equal(16, set.Count));
        Assert.Contains(p.Direction, d => d < 0);
        Assert.Contains(p.Direction, d => d > 0);
        // Each threshold is one of the channel's own values, so ">=" is exercised at an exact tie.
        for (int c = 0; c < 6; c++)
        {
            var own = x.Values.Skip(c * 64).Take(64).Select(v => p.Direction[c] * v).ToHashSet();
            Assert.All(Enumerable.Range(0, 15), j => Assert.Contains((long)p.Thresholds[c * 15 + j], own));
        }
    }

    [Fact]
    public void LevelsAreRoughlyBalanced()
    {
        var x = Tensor(new Shape(1, 20, 20), DataType.I(12), i => i * 7 % 400 - 200);   // 400 distinct values
        var p = LevelThresholds.Choose("acc", 3, x, -2048, 2047, 1);
        var counts = new int[4];
        foreach (long v in x.Values) counts[Enumerable.Range(0, 3).Count(j => p.Direction[0] * v >= p.Thresholds[j])]++;
        Assert.All(counts, n => Assert.InRange(n, 50, 150));   // 100 each, jittered by at most a quarter level share
    }

    [Fact]
    public void OneValuePerChannelSpreadsChannelsOverAllLevels()
    {
        // A 1x1 linear output: 24 channels with one accumulator each, U4 output (16 levels).
        var x = RandomTensor(new Shape(24, 1, 1), -40, 40, 3);
        var p = LevelThresholds.Choose("fc", 15, x, -48, 48, 5);
        AssertWellFormed(p, 24, 15, -48, 48);
        var all = Levels(x, p, 15).SelectMany(s => s).ToHashSet();
        Assert.Equal(16, all.Count);
    }

    [Fact]
    public void FewPositionsPerChannelStillCoverEveryLevel()
    {
        // 2x1 outputs: two values per channel, U2 output needs four levels per layer.
        var x = RandomTensor(new Shape(5, 2, 1), -1000, 1000, 4);
        var p = LevelThresholds.Choose("head", 3, x, -1000, 1000, 2);
        AssertWellFormed(p, 5, 3, -1000, 1000);
        Assert.Equal(4, Levels(x, p, 3).SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    public void BipolarInputFallsBackToSweepingTheLevels()
    {
        // Only two distinct values in the whole layer: shared thresholds could reach two levels, not four.
        var r = SeededRandom.For(1, "bipolar");
        var x = Tensor(new Shape(8, 2, 2), DataType.B, _ => r.NextBool() ? 1 : -1);
        var p = LevelThresholds.Choose("sign", 3, x, -1, 1, 9);
        AssertWellFormed(p, 8, 3, -1, 1);
        Assert.Equal(4, Levels(x, p, 3).SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    public void ConstantChannelsStillGiveBothBipolarLevels()
    {
        var x = Tensor(new Shape(4, 3, 3), DataType.I(5), _ => 5);
        var p = LevelThresholds.Choose("flat", 1, x, -10, 10, 1);
        AssertWellFormed(p, 4, 1, -10, 10);
        Assert.Equal(2, Levels(x, p, 1).SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    public void IsDeterministicPerSeedAndLayerName()
    {
        var x = RandomTensor(new Shape(4, 4, 4), -50, 50, 8);
        var a = LevelThresholds.Choose("l", 3, x, -50, 50, 1);
        Assert.Equal(a, LevelThresholds.Choose("l", 3, x, -50, 50, 1));
        Assert.NotEqual(a, LevelThresholds.Choose("l", 3, x, -50, 50, 2));
        Assert.NotEqual(a, LevelThresholds.Choose("m", 3, x, -50, 50, 1));
    }
}
