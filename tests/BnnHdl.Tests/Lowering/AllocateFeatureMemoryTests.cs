using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Lowering;

public sealed class AllocateFeatureMemoryTests
{
    private static readonly EngineConfig Config = new(4, 8);

    private static AllocatedGraph Allocate(Graph g) =>
        AllocateFeatureMemory.Run(FuseThresholds.Run(Legalize.Run(g, Config)), Config);

    [Fact]
    public void A_chain_reuses_two_buffers_after_the_input()
    {
        var b = new NetworkBuilder("chain");
        var x = b.Input(3, 8, 8);
        // c1 is a 1x1 so that it reads the input itself (a 3x3 would read the input's windows).
        for (int i = 1; i <= 5; i++)
            x = b.MultiThreshold(b.Conv2d(x, 8, i == 1 ? 1 : 3, pad: i == 1 ? 0 : 1, name: $"c{i}"), DataType.U(2), name: $"t{i}");
        b.Output(x);
        var memory = Allocate(FillParameters(b.Build(), SeededRandom.For(1, "chain")));

        // By hand: the U8 input is 8x8 positions x 1 block x 8 planes = 512 words; each U2
        // map is 64 x 1 x 2 = 128 words. t1 must avoid the input it is computed from; from
        // then on t(i) only has to avoid t(i-1), so the maps alternate between words 0 and 128
        // (over the dead input). Peak 512 + 128 = 640 instead of 512 + 5 * 128 = 1152.
        Assert.Equal(
            [("input", 0, 512), ("t1", 512, 128), ("t2", 0, 128), ("t3", 128, 128), ("t4", 0, 128), ("t5", 128, 128)],
            memory.Regions.Select(r => (r.Tensor, r.Base, r.Words)));
        Assert.Equal(640, memory.PeakWords);
        Assert.Equal([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, FmRegion.End)], memory.Regions.Select(r => (r.Born, r.Dies)));
    }

    [Fact]
    public void A_skip_connection_stays_live_until_its_last_reader()
    {
        var b = new NetworkBuilder("skip");
        var x = b.Input(8, 4, 4, DataType.U(1));
        var a = b.MultiThreshold(b.Conv2d(x, 8, 1, name: "ca"), DataType.U(2), name: "a");
        var bb = b.MultiThreshold(b.Conv2d(a, 8, 1, name: "cb"), DataType.U(2), name: "b");
        var c = b.MultiThreshold(b.Conv2d(bb, 8, 1, name: "cc"), DataType.U(2), name: "c");
        var d = b.MultiThreshold(b.Conv2d(a, 8, 1, name: "cd"), DataType.U(2), name: "d");
        b.Output(c, d);
        var memory = Allocate(FillParameters(b.Build(), SeededRandom.For(2, "skip")));

        // input 16 words (live 0..1), the maps 32 words each. a is read by steps 2 and 4, so
        // it is live 1..4: b cannot use the 16-word hole below it and goes above; c (an
        // output) must avoid a and b; d may take b's place (b died at step 3) but not a's.
        Assert.Equal(
            [("input", 0, 16, 0, 1), ("a", 16, 32, 1, 4), ("b", 48, 32, 2, 3), ("c", 80, 32, 3, FmRegion.End), ("d", 48, 32, 4, FmRegion.End)],
            memory.Regions.Select(r => (r.Tensor, r.Base, r.Words, r.Born, r.Dies)));
        Assert.Equal(112, memory.PeakWords);
    }

    [Fact]
    public void Regions_of_tensors_live_together_never_overlap_in_random_chains()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var r = SeededRandom.For(seed, "alloc");
            var b = new NetworkBuilder("random");
            var tensors = new List<TensorInfo> { b.Input(Between(r, 1, 20), Between(r, 1, 6), Between(r, 1, 6), AnyQuantized(r)) };
            for (int i = 0; i < 8; i++)
            {
                var from = Pick(r, tensors.ToArray());
                tensors.Add(b.MultiThreshold(b.Conv2d(from, Between(r, 1, 40), 1), AnyQuantized(r)));
            }
            b.Output(tensors[^1], tensors[^3]);
            var memory = Allocate(FillParameters(b.Build(), r));
            foreach (var p in memory.Regions)
                foreach (var q in memory.Regions.Where(q => q != p && p.LiveTogether(q)))
                    Assert.True(p.Limit <= q.Base || q.Limit <= p.Base, $"seed {seed}: {p.Dump()} overlaps {q.Dump()}");
            Assert.Equal(memory.Regions.Max(x => x.Limit), memory.PeakWords);
            Assert.Equal(0, memory.InputRegion.Base);
        }
    }
}
