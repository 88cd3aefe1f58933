using BnnHdl.Network;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>Key tensors of the published networks: shapes, types, structure.</summary>
public class PublishedNetworkShapeTests
{
    private static void AssertTensor(Graph g, string name, Shape shape, ValueKind kind)
    {
        var t = g.Tensor(name);
        Assert.Equal(shape, t.Shape);
        Assert.Equal(kind, t.Type.Kind);
    }

    private static int Count(Graph g, string op) => g.Layers.Count(l => l.Op.OpName == op);

    [Fact]
    public void MobileNetV2_key_layers()
    {
        var g = MobileNetV2.Build().Validate();
        AssertTensor(g, "stem.conv.act", new Shape(32, 112, 112), ValueKind.Unsigned);
        AssertTensor(g, "block1.project.bn", new Shape(16, 112, 112), ValueKind.Unsigned);
        AssertTensor(g, "block2.dw", new Shape(96, 56, 56), ValueKind.Signed);
        AssertTensor(g, "block17.project.bn", new Shape(320, 7, 7), ValueKind.Unsigned);
        AssertTensor(g, "head.conv.act", new Shape(1280, 7, 7), ValueKind.Unsigned);
        AssertTensor(g, "pool", new Shape(1280, 1, 1), ValueKind.Signed);
        AssertTensor(g, "classifier", new Shape(1000, 1, 1), ValueKind.Signed);
        Assert.Equal(["classifier"], g.Outputs);
        // Block 1 has no expansion (t = 1); residuals join in the 10 blocks with stride 1
        // and unchanged width: 1 (24) + 2 (32) + 3 (64) + 2 (96) + 2 (160).
        Assert.DoesNotContain(g.Layers, l => l.Name == "block1.expand");
        Assert.Equal(10, Count(g, "Add"));
        Assert.Equal(52, Count(g, "Conv2d"));    // stem + 17 x 3 - 1 (block 1) + head
        Assert.Equal(17, g.Layers.Count(l => l.Op is Conv2dOp { Groups.Count: > 1 }));
        Assert.True(((LinearOp)g["classifier"].Op).HasBias);
        Assert.All(g.Layers.Where(l => l.Op is Conv2dOp), l => Assert.False(((Conv2dOp)l.Op).HasBias));
    }

    [Fact]
    public void MobileFaceNet_key_layers()
    {
        var g = MobileFaceNet.Build().Validate();
        AssertTensor(g, "stem.dw.act", new Shape(64, 56, 56), ValueKind.Unsigned);
        AssertTensor(g, "block1.expand.act", new Shape(128, 56, 56), ValueKind.Unsigned);
        AssertTensor(g, "block1.dw.act", new Shape(128, 28, 28), ValueKind.Unsigned);
        AssertTensor(g, "block6.dw.act", new Shape(256, 14, 14), ValueKind.Unsigned);
        AssertTensor(g, "head.conv.act", new Shape(512, 7, 7), ValueKind.Unsigned);
        AssertTensor(g, "gdconv", new Shape(512, 1, 1), ValueKind.Signed);
        AssertTensor(g, "embed", new Shape(128, 1, 1), ValueKind.Signed);
        Assert.Equal(["embed"], g.Outputs);
        var gd = (Conv2dOp)g["gdconv"].Op;
        Assert.Equal((new Pair(7, 7), 512, Padding.None), (gd.Kernel, gd.Groups.Count, gd.Pad));
        // 15 bottlenecks; residuals in 4 (64) + 6 (128) + 2 (128).
        Assert.Equal(15, g.Layers.Count(l => l.Name.EndsWith(".project", StringComparison.Ordinal)));
        Assert.Equal(12, Count(g, "Add"));
    }

    [Fact]
    public void TinyYoloV2_key_layers()
    {
        var g = TinyYoloV2.Build().Validate();
        AssertTensor(g, "conv1.act", new Shape(16, 416, 416), ValueKind.Unsigned);
        AssertTensor(g, "pool1", new Shape(16, 208, 208), ValueKind.Unsigned);
        AssertTensor(g, "pool5", new Shape(256, 13, 13), ValueKind.Unsigned);
        AssertTensor(g, "pool6", new Shape(512, 13, 13), ValueKind.Unsigned);
        AssertTensor(g, "conv8.act", new Shape(1024, 13, 13), ValueKind.Unsigned);
        AssertTensor(g, "conv9", new Shape(125, 13, 13), ValueKind.Signed);
        Assert.Equal(["conv9"], g.Outputs);
        var pool6 = (Pool2dOp)g["pool6"].Op;
        Assert.Equal((new Pair(1, 1), new Padding(0, 0, 1, 1)), (pool6.Stride, pool6.Pad));
        Assert.True(((Conv2dOp)g["conv9"].Op).HasBias);
        Assert.Equal(9, Count(g, "Conv2d"));
        Assert.Equal(6, Count(g, "MaxPool2d"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Activation_bits_set_every_requantization(int bits)
    {
        foreach (var g in new[] { MobileNetV2.Build(activationBits: bits), MobileFaceNet.Build(activationBits: bits),
                     TinyYoloV2.Build(activationBits: bits) })
        {
            var thresholds = g.Layers.Where(l => l.Op is MultiThresholdOp).ToList();
            Assert.NotEmpty(thresholds);
            Assert.All(thresholds, l => Assert.Equal(DataType.U(bits), ((MultiThresholdOp)l.Op).OutType));
        }
    }

    [Fact]
    public void Activation_bits_out_of_range_are_rejected()
    {
        var e = Assert.Throws<BnnHdlException>(() => MobileNetV2.Build(activationBits: 9));
        Assert.Equal("U(9) is not a value type: unsigned activations have 1 to 8 bits", e.Message);
    }
}
