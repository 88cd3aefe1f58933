using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Reference;

/// <summary>Pooling and shape operations of the reference model against the oracle.</summary>
public sealed class PoolingAndShapeOracleTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Windowed_pooling_with_padding_matches_the_oracle(bool isMax)
    {
        var r = SeededRandom.For(41, $"pool {isMax}");
        for (int i = 0; i < 40; i++)
        {
            var kernel = new Pair(Between(r, 1, 4), Between(r, 1, 4));
            var stride = new Pair(Between(r, 1, 3), Between(r, 1, 3));
            // Padding smaller than the kernel on every side, as pooling requires.
            var pad = new Padding(Between(r, 0, kernel.Y - 1), Between(r, 0, kernel.X - 1),
                                  Between(r, 0, kernel.Y - 1), Between(r, 0, kernel.X - 1));
            var b = new NetworkBuilder("pool");
            var x = b.Input(Between(r, 1, 4), Between(r, Math.Max(1, kernel.Y - pad.Top - pad.Bottom), 9),
                Between(r, Math.Max(1, kernel.X - pad.Left - pad.Right), 9), QuantizedTypes[i % QuantizedTypes.Length]);
            // Sum pooling also runs on I values (a conv's accumulator).
            var operand = !isMax && i % 3 == 2 ? b.Conv2d(x, 3, 1, bias: true) : x;
            b.Output(isMax ? b.MaxPool2d(operand, kernel, stride, pad) : b.SumPool2d(operand, kernel, stride, pad));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i}: {operand.Type} {operand.Shape} k={kernel} s={stride} pad={pad}");
        }
    }

    [Fact]
    public void Global_and_adaptive_sum_pooling_match_the_oracle_on_sizes_the_bins_do_not_divide()
    {
        var r = SeededRandom.For(42, "adaptive");
        int[] bins = [1, 2, 3, 6];
        int[] sizes = [1, 4, 5, 7, 10, 11, 13];
        int i = 0;
        foreach (int by in bins)
            foreach (int bx in bins)
            {
                var b = new NetworkBuilder("adaptive");
                var x = b.Input(Between(r, 1, 3), Pick(r, sizes), Pick(r, sizes), QuantizedTypes[i++ % QuantizedTypes.Length]);
                var operand = i % 4 == 0 ? b.Conv2d(x, 2, 3, pad: 1) : x;
                b.Output(b.AdaptiveSumPool(operand, new Pair(by, bx)), b.GlobalSumPool(operand));
                CheckAgainstOracle(FillParameters(b.Build(), r), r, $"bins {by}x{bx} on {operand.Type} {operand.Shape}");
            }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Cross_channel_max_pooling_matches_the_oracle_on_U_and_B(int group)
    {
        var r = SeededRandom.For(43, $"xcpool {group}");
        foreach (var type in QuantizedTypes)
        {
            var b = new NetworkBuilder("xcpool");
            var x = b.Input(group * Between(r, 1, 4), Between(r, 1, 5), Between(r, 1, 5), DataType.U(8));
            // As in Condensation-Net: pooled after the MultiThreshold of a conv.
            var q = b.MultiThreshold(b.Conv2d(x, x.Shape.C, 3, pad: 1), type);
            b.Output(b.CrossChannelMaxPool(q, group));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"G={group} on {type}");
        }
    }

    [Fact]
    public void Upsample_concat_and_coordinate_channels_match_the_oracle()
    {
        var r = SeededRandom.For(44, "shape ops");
        for (int i = 0; i < 27; i++)
        {
            var type = QuantizedTypes[i % QuantizedTypes.Length];
            // Every third input is one row or one column: coordinate channels must give 0 there.
            int h = i % 3 == 1 ? 1 : Between(r, 1, 7), w = i % 3 == 2 ? 1 : Between(r, 1, 7);
            var b = new NetworkBuilder("shape");
            var x = b.Input(Between(r, 1, 3), h, w, type);
            var up = b.UpsampleNearest(x, new Pair(Between(r, 1, 3), Between(r, 1, 3)));
            var parts = Enumerable.Range(0, Between(r, 0, 2)).Select(_ => b.MultiThreshold(b.Linear(x, Between(r, 1, 3)), type));
            var cat = b.Concat([x, .. parts]);
            var outputs = new List<TensorInfo> { up, cat, b.UpsampleNearest(b.Conv2d(x, 2, 1), 2) };
            if (type.IsUnsigned) outputs.Add(b.CoordChannels(cat, type.Bits));
            b.Output([.. outputs]);
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i}: {type} {x.Shape}");
        }
    }
}
