using System.Globalization;
using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>
/// bnn_channel_pool on its own: lint-clean, and in Icarus stored lane i is the maximum of
/// PEs G i .. G i + G - 1 (G = 2^mode), or q_i itself for mode 0, and 0 where the group would
/// pass PE P - 1, for random q values of every mode.
/// </summary>
public sealed class ChannelPoolTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 2)]
    [InlineData(64, 8)]
    public void Lints_clean(int p, int qw) =>
        Lint("bnn_channel_pool", ["bnn_channel_pool.v"], [("P", S(p)), ("QW", S(qw)), ("QALL", S(p * qw))]);

    [Theory]
    [InlineData(8, 2)]
    [InlineData(6, 3)]    // P not a multiple of 4: the last lanes of fours pool nothing
    [InlineData(1, 2)]
    public void Pools_the_maximum_of_each_group(int p, int qw)
    {
        var r = SeededRandom.For(p * 10 + qw, "channel pool");
        var vectors = new List<BigInteger>();
        var expected = new List<string>();
        for (int k = 0; k < 60; k++)
        {
            int mode = k % 3, group = 1 << mode;
            var q = Enumerable.Range(0, p).Select(_ => (int)r.Next(0, (1 << qw) - 1)).ToArray();
            BigInteger packed = mode;
            for (int i = p - 1; i >= 0; i--) packed = (packed << qw) | q[i];
            vectors.Add(packed);
            var lanes = Enumerable.Range(0, p).Select(i =>
                group * i + group - 1 < p ? Enumerable.Range(group * i, group).Max(j => q[j]) : 0);
            expected.Add(string.Concat(lanes.Select(v => v.ToString(CultureInfo.InvariantCulture) + " ")));
        }
        var lines = Simulate("tb_channel_pool.v", ["bnn_channel_pool.v"],
            [("P", S(p)), ("QW", S(qw)), ("QALL", S(p * qw)), ("COUNT", S(vectors.Count))],
            new Dictionary<string, string> { ["vectors.memh"] = Memh(vectors, 2 + p * qw) });
        Assert.Equal(expected, lines);
    }
}

/// <summary>bnn_wb_lane lints clean on its own at several widths (its behaviour is covered by every co-simulation).</summary>
public sealed class WriteBackLaneTests
{
    [Theory]
    [InlineData(8, 8, 8, 2, 2, 1)]      // one threshold (B outputs), a 1-bit n_thr
    [InlineData(20, 20, 12, 4, 2, 2)]   // three thresholds (U2), AW > TW
    [InlineData(16, 16, 16, 16, 4, 4)]  // fifteen thresholds (U4)
    public void Lints_clean(int aw, int xw, int tw, int ts, int qw, int ntw) =>
        Lint("bnn_wb_lane", ["bnn_wb_lane.v", "bnn_popcount.v"],
        [
            ("AW", S(aw)), ("XW", S(xw)), ("TW", S(tw)), ("TS", S(ts)), ("TML", S(ts * tw + 1)), ("QW", S(qw)), ("NTW", S(ntw)),
            ("SCW", "2"), ("SAW", "2"), ("SBW", "2"), ("RPW", "3"), ("XIW", S((int)Math.Ceiling(Math.Log2(xw)))),
        ]);
}
