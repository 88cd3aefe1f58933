using BnnHdl.Engine;
using BnnHdl.Golden;
using BnnHdl.Lowering;
using BnnHdl.Quant;
using BnnHdl.Tests.Support;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Lowering;

public sealed class ScheduleTextTests
{
    [Fact]
    public void Two_layer_schedule()
    {
        var program = LoweringPipeline.Lower(TinyPrograms.TwoLayers(), new EngineConfig(4, 8));
        Snapshot.Match(ScheduleText.Format(program), "schedule-two-4x8.txt");
    }

    [Fact]
    public void Segmented_schedule_shows_the_position_groups()
    {
        var (g, _) = SeededNetwork.Prepare(BnnHdl.Tests.Reports.EngineUtilizationTests.Narrow(9, 15), 9);
        var program = LoweringPipeline.Lower(g, new EngineConfig(64, 64, segments: 4, banks: 8));
        Snapshot.Match(ScheduleText.Format(program), "schedule-narrow-64x64-segments.txt");
    }

    [Fact]
    public void Dense_mix_schedule()
    {
        var g = ModelZoo.Build(DenseMixModel.Name);
        g = RandomParameters.Fill(g, InputImages.Random(g.Input.Output, 7), 7);
        var program = LoweringPipeline.Lower(g, new EngineConfig(16, 32));
        Snapshot.Match(ScheduleText.Format(program), "schedule-dense-mix-16x32.txt");
    }

    [Fact]
    public void Xcp_mix_schedule_shows_the_pooling()
    {
        var g = ModelZoo.Build(XcpMixModel.Name);
        g = RandomParameters.Fill(g, InputImages.Random(g.Input.Output, 11), 11);
        var program = LoweringPipeline.Lower(g, new EngineConfig(4, 8));
        Snapshot.Match(ScheduleText.Format(program), "schedule-xcp-mix-4x8.txt");
    }

    [Fact]
    public void Res_mix_schedule_shows_the_residual_adds()
    {
        var g = ModelZoo.Build(ResMixModel.Name);
        g = RandomParameters.Fill(g, InputImages.Random(g.Input.Output, 13), 13);
        var program = LoweringPipeline.Lower(g, new EngineConfig(4, 8));
        Snapshot.Match(ScheduleText.Format(program), "schedule-res-mix-4x8.txt");
    }
}
