using BnnHdl.Engine;
using BnnHdl.Golden;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Tests.Engine;
using BnnHdl.Tests.Support;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>
/// The Condensation-Net zoo entries: the widened convolutions are pooled back at write-back,
/// so the feature memory holds exactly what the plain network holds ("without increasing the
/// maximum memory storage for feature maps", the paper's abstract) while the weights grow.
/// </summary>
public sealed class CondensationNetTests
{
    private static LoweredProgram Lower(Graph g) =>
        LoweringPipeline.Lower(RandomParameters.Fill(g, InputImages.Random(g.Input.Output, 5), 5), new EngineConfig(16, 32));

    [Theory]
    [InlineData(TinyYoloV2Face.Name, TinyYoloV2Face.NameXcp, 8)]
    [InlineData(MscanSparseInst.NameT, MscanSparseInst.NameTXcp, 11)]
    public void Pooled_networks_store_what_the_plain_ones_store(string plainName, string xcpName, int pooled)
    {
        var input = new Shape(3, 64, 64);
        var (plain, xcp) = (ModelZoo.Build(plainName, input), ModelZoo.Build(xcpName, input));
        var pools = xcp.Layers.Where(l => l.Op is CrossChannelMaxPoolOp).ToList();
        Assert.Equal(pooled, pools.Count);
        foreach (var pool in pools)
        {
            // The pooled tensor has the plain network's shape; its source conv is twice as wide.
            string conv = pool.Name[..^".xcp".Length];
            Assert.Equal(plain.Tensor(conv).Shape, pool.Output.Shape);
            Assert.Equal(2 * plain.Tensor(conv).Shape.C, xcp.Tensor(conv).Shape.C);
        }
        Assert.Equal(plain.Outputs.Select(o => plain.Tensor(o).Shape), xcp.Outputs.Select(o => xcp.Tensor(o).Shape));
        var (p, x) = (Lower(plain), Lower(xcp));
        Assert.Equal(p.Memory.PeakWords, x.Memory.PeakWords);
        Assert.True(x.Images.Weights.Depth > p.Images.Weights.Depth, "the widened convolutions have more weights");
    }

    [Fact]
    public void The_pooled_face_detector_equals_the_reference_on_the_engine()
    {
        var (g, input) = SeededNetwork.Prepare(ModelZoo.Build(TinyYoloV2Face.NameXcp, new Shape(3, 64, 64)), 8);
        var (program, _) = EngineCheck.AgainstReference(g, new EngineConfig(16, 32), input, "tinyyolov2-face-xcp 64x64");
        Assert.Equal(8, program.Layers.Count(l => l.Descriptor.XcpLog2 == 1));
        Assert.Equal(new Shape(30, 2, 2), g.Tensor(g.Outputs.Single()).Shape);
    }
}
