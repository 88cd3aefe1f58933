using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Tests.Support;

namespace BnnHdl.Tests.Lowering;

/// <summary>
/// Each lowering pass on the two-layer network: the dump of its input and of its output,
/// compared with a reviewed snapshot; and each pass is a pure function (same input, equal
/// output).
/// </summary>
public sealed class PassSnapshotTests
{
    private static readonly EngineConfig Config = new(4, 8);

    private static string InOut(string input, string output) => "--- in ---\n" + input + "--- out ---\n" + output;

    [Fact]
    public void Legalize()
    {
        var g = TinyPrograms.TwoLayers();
        var legal = BnnHdl.Lowering.Legalize.Run(g, Config);
        Assert.Equal(legal, BnnHdl.Lowering.Legalize.Run(g, Config));
        Snapshot.Match(InOut(g.Dump(), legal.Dump()), "legalize.txt");
    }

    [Fact]
    public void FuseThresholds()
    {
        var legal = BnnHdl.Lowering.Legalize.Run(TinyPrograms.TwoLayers(), Config);
        var fused = BnnHdl.Lowering.FuseThresholds.Run(legal);
        Assert.Equal(fused, BnnHdl.Lowering.FuseThresholds.Run(legal));
        Snapshot.Match(InOut(legal.Dump(), fused.Dump()), "fuse-thresholds.txt");
    }

    [Fact]
    public void AllocateFeatureMemory()
    {
        var fused = BnnHdl.Lowering.FuseThresholds.Run(BnnHdl.Lowering.Legalize.Run(TinyPrograms.TwoLayers(), Config));
        var allocated = BnnHdl.Lowering.AllocateFeatureMemory.Run(fused, Config);
        Assert.Equal(allocated, BnnHdl.Lowering.AllocateFeatureMemory.Run(fused, Config));
        Snapshot.Match(InOut(fused.Dump(), allocated.Dump()), "allocate-feature-memory.txt");
    }

    [Fact]
    public void Schedule()
    {
        var allocated = BnnHdl.Lowering.AllocateFeatureMemory.Run(
            BnnHdl.Lowering.FuseThresholds.Run(BnnHdl.Lowering.Legalize.Run(TinyPrograms.TwoLayers(), Config)), Config);
        var scheduled = BnnHdl.Lowering.Schedule.Run(allocated, Config);
        Assert.Equal(scheduled, BnnHdl.Lowering.Schedule.Run(allocated, Config));
        Snapshot.Match(InOut(allocated.Dump(), scheduled.Dump()), "schedule.txt");
    }

    [Fact]
    public void BuildImages()
    {
        var scheduled = BnnHdl.Lowering.Schedule.Run(BnnHdl.Lowering.AllocateFeatureMemory.Run(
            BnnHdl.Lowering.FuseThresholds.Run(BnnHdl.Lowering.Legalize.Run(TinyPrograms.TwoLayers(), Config)), Config), Config);
        var lowered = BnnHdl.Lowering.BuildImages.Run(scheduled);
        Assert.Equal(lowered, BnnHdl.Lowering.BuildImages.Run(scheduled));
        Snapshot.Match(InOut(scheduled.Dump(), lowered.Dump()), "build-images.txt");
    }

    [Fact]
    public void Pipeline_is_the_passes_in_order()
    {
        var g = TinyPrograms.TwoLayers();
        var byHand = BnnHdl.Lowering.BuildImages.Run(BnnHdl.Lowering.Schedule.Run(BnnHdl.Lowering.AllocateFeatureMemory.Run(
            BnnHdl.Lowering.FuseThresholds.Run(BnnHdl.Lowering.Legalize.Run(g, Config)), Config), Config));
        Assert.Equal(byHand, LoweringPipeline.Lower(g, Config));
    }
}
