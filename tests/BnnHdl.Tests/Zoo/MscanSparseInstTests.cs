using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Engine;
using BnnHdl.Tests.Support;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>
/// MSCAN + SparseInst: the structure of the default network, the nearest resize the PPM
/// uses, and a reduced variant on the engine (the RTL runs of it are in
/// <see cref="BnnHdl.Tests.Cosim.NetworkCosimTests"/>).
/// </summary>
public sealed class MscanSparseInstTests
{
    /// <summary>MSCAN-T + SparseInst at 64 x 64, width 32, 8 instances, kernels of 16, two 3x3 convs per branch.</summary>
    internal static readonly Lazy<(Graph Graph, TensorData Input)> Reduced = new(() => SeededNetwork.Prepare(
        MscanSparseInst.Build(MscanVariant.T, new Shape(3, 64, 64), new SparseInstOptions(Width: 32, Instances: 8, KernelDim: 16, Convs: 2)), 21));

    /// <summary>
    /// A miniature of the same structure for Icarus: MSCAN stages of 8, 16, 16, 32 channels,
    /// one block each (MLP ratio 2), on 32 x 32, SparseInst width 16, 4 instances, kernels of
    /// 8, one 3x3 conv per branch.
    /// </summary>
    internal static readonly Lazy<(Graph Graph, TensorData Input)> Mini = new(() => SeededNetwork.Prepare(
        MscanSparseInst.Build(new MscanVariant("mini", [8, 16, 16, 32], [1, 1, 1, 1], [2, 2, 2, 2]), new Shape(3, 32, 32),
            new SparseInstOptions(Width: 16, Instances: 4, KernelDim: 8, Convs: 1)), 23));

    [Fact]
    public void The_default_network_has_the_heads_at_the_sizes_sparseinst_gives()
    {
        var g = ModelZoo.Build(MscanSparseInst.NameT);
        Assert.Equal(new Shape(3, 256, 256), g.Input.Output.Shape);
        // Class logits and objectness per instance, mask logits at 1/8 of the input.
        Assert.Equal([new Shape(1, 1, 100), new Shape(1, 1, 100), new Shape(100, 32, 32)], g.Outputs.Select(o => g.Tensor(o).Shape));
        // The encoder reads stages 2-4 (64, 160, 256 channels at 1/8, 1/16, 1/32).
        Assert.Equal(new Shape(64, 32, 32), g.Tensor(g["encoder.fpn_laterals.2"].Inputs[0]).Shape);
        Assert.Equal(new Shape(256, 8, 8), g.Tensor(g["encoder.fpn_laterals.0"].Inputs[0]).Shape);
        // G-IAM: 4 groups of 100 maps, the FC over 4 x 256 features per instance.
        Assert.Equal(new Shape(400, 32, 32), g.Tensor("decoder.inst_branch.iam_conv").Shape);
        Assert.Equal(new Shape(1024, 1, 100), g.Tensor("decoder.inst_branch.fc").Shape);
    }

    [Fact]
    public void The_default_network_equals_the_reference_on_the_engine_make_run_builds()
    {
        // The full mscan-t-sparseinst at 256 x 256, every layer bit for bit and cycle for cycle
        // in the engine simulator (`make run` compares the same engine's RTL in Verilator).
        var (g, input) = SeededNetwork.FromZoo(MscanSparseInst.NameT, 1);
        var (program, run) = EngineCheck.AgainstReference(g, new EngineConfig(64, 64, segments: 16, banks: 32), input, "mscan-t-sparseinst");
        Assert.Equal(4_692_532, run.TotalCycles);
    }

    [Fact]
    public void The_default_network_keeps_over_75_percent_of_the_lanes_busy_at_64x64()
    {
        // mscan-t-sparseinst at 256 x 256 on the engine `make run` builds (64 x 64, 16 segments,
        // 32 banks): every cycle of every layer counted, the elementwise, pooling, resize and
        // copy layers and both act x act products included.
        var g = ModelZoo.Build(MscanSparseInst.NameT);
        var filled = BnnHdl.Quant.RandomParameters.Fill(g, BnnHdl.Golden.InputImages.Random(g.Input.Output, 1), 1);
        var program = BnnHdl.Lowering.LoweringPipeline.Lower(filled, new EngineConfig(64, 64, segments: 16, banks: 32));
        var u = BnnHdl.Reports.EngineUtilization.Of(program);
        Assert.Equal(4_692_532, u.Cycles);
        Assert.InRange(u.Utilization, 0.785, 0.786);
        // The products compute 16 (aggregation) and 4 (masks: I10 outputs fill an access at 4
        // positions) columns per beat.
        Assert.Equal(4, program.Layers.Single(l => l.Source.Name == "decoder.inst_branch.bmm").Descriptor.SegLog2);
        Assert.Equal(2, program.Layers.Single(l => l.Source.Name == "decoder.masks").Descriptor.SegLog2);
        // The widths the gate model's module checks use (GateEstimateTests.Default).
        Assert.Equal(BnnHdl.Tests.Reports.GateEstimateTests.Default, BnnHdl.Reports.EngineWidths.Of(BnnHdl.Emit.RtlParameters.Of(program)));
    }

    [Theory]
    [InlineData(3, 8)]
    [InlineData(6, 8)]
    [InlineData(3, 2)]
    [InlineData(2, 8)]
    public void Resize_nearest_takes_the_source_row_pytorch_takes(int from, int to)
    {
        var b = new NetworkBuilder("resize");
        var x = b.Input(2, from, from, DataType.U(4));
        b.Output(SparseInst.ResizeNearest(b, x, to, to, "r"));
        var g = b.Build();
        var input = TensorData.Create(x.Shape, x.Type, Enumerable.Range(0, (int)x.Shape.Size).Select(i => (long)(i % 16)).ToArray());
        var output = ReferenceModel.Run(g, input)["r"];
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < to; y++)
                for (int xx = 0; xx < to; xx++)
                    // torch.nn.functional.interpolate(mode="nearest"): source index floor(dst * in / out).
                    Assert.Equal(input[c, y * from / to, xx * from / to], output[c, y, xx]);
    }

    [Fact]
    public void A_reduced_network_equals_the_reference_on_the_engine()
    {
        var (g, input) = Reduced.Value;
        foreach (var config in new[] { new EngineConfig(16, 32, segments: 4, banks: 32), new EngineConfig(8, 16) })
            EngineCheck.AgainstReference(g, config, input, "mscan-t-sparseinst 64x64");
        var (mini, miniInput) = Mini.Value;
        foreach (var config in new[] { new EngineConfig(8, 16, segments: 2, banks: 16), new EngineConfig(4, 8) })
            EngineCheck.AgainstReference(mini, config, miniInput, "mini mscan-sparseinst 32x32");
    }
}
