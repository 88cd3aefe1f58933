using BnnHdl.Network;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

public class ModelZooTests
{
    [Fact]
    public void Lists_the_models_in_a_stable_order_with_one_line_descriptions()
    {
        Assert.Equal(["mscan-t-sparseinst", "mscan-s-sparseinst", "mscan-t-sparseinst-xcp", "tiny", "dense-mix", "xcp-mix", "res-mix", "lane-mix", "view-mix", "matmul-mix", "all-ops", "mobilenetv2", "mobilefacenet", "tinyyolov2", "tinyyolov2-face", "tinyyolov2-face-xcp", "mscan-t", "mscan-s"], ModelZoo.Models.Select(m => m.Name));
        Assert.All(ModelZoo.Models, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Description));
            Assert.DoesNotContain('\n', m.Description);
        });
    }

    [Fact]
    public void Builds_each_model_by_name_at_its_default_input()
    {
        var expected = new Dictionary<string, Shape>
        {
            ["mscan-t-sparseinst"] = new(3, 256, 256),
            ["mscan-s-sparseinst"] = new(3, 256, 256),
            ["mscan-t-sparseinst-xcp"] = new(3, 256, 256),
            ["tiny"] = new(3, 32, 32),
            ["dense-mix"] = new(3, 16, 16),
            ["xcp-mix"] = new(3, 16, 16),
            ["res-mix"] = new(3, 16, 16),
            ["lane-mix"] = new(3, 12, 12),
            ["view-mix"] = new(3, 8, 8),
            ["matmul-mix"] = new(3, 8, 8),
            ["all-ops"] = new(3, 24, 24),
            ["mobilenetv2"] = new(3, 224, 224),
            ["mobilefacenet"] = new(3, 112, 112),
            ["tinyyolov2"] = new(3, 416, 416),
            ["tinyyolov2-face"] = new(3, 416, 416),
            ["tinyyolov2-face-xcp"] = new(3, 416, 416),
            ["mscan-t"] = new(3, 256, 256),
            ["mscan-s"] = new(3, 256, 256),
        };
        foreach (var info in ModelZoo.Models)
        {
            var g = ModelZoo.Build(info.Name).Validate();
            Assert.Equal(info.Name, g.Name);
            Assert.Equal(new InputOp(expected[info.Name], DataType.U(8)), g.Input.Op);
            // The zoo gives structure only: every weighted or thresholded layer still needs its
            // parameters (seeded random ones, or imported ones, come later).
            Assert.Equal(g.Layers.Where(l => l.Op is Conv2dOp or LinearOp or MultiThresholdOp).Select(l => l.Name),
                g.LayersMissingParameters().Select(l => l.Name));
        }
    }

    [Fact]
    public void Building_twice_gives_equal_graphs()
    {
        Assert.Equal(ModelZoo.Build("tiny"), ModelZoo.Build("tiny"));
        Assert.Equal(ModelZoo.Build("tinyyolov2").Dump(), TinyYoloV2.Build().Dump());
    }

    [Fact]
    public void Unknown_model_lists_the_known_ones()
    {
        var e = Assert.Throws<BnnHdlException>(() => ModelZoo.Build("resnet50"));
        Assert.Equal("unknown model 'resnet50'; known models: mscan-t-sparseinst, mscan-s-sparseinst, mscan-t-sparseinst-xcp, tiny, dense-mix, xcp-mix, res-mix, lane-mix, view-mix, matmul-mix, all-ops, mobilenetv2, mobilefacenet, tinyyolov2, tinyyolov2-face, tinyyolov2-face-xcp, mscan-t, mscan-s", e.Message);
    }

    [Fact]
    public void Input_override_resizes_the_network()
    {
        var mbv2 = ModelZoo.Build("mobilenetv2", new Shape(3, 160, 128));
        Assert.Equal(new Shape(1280, 5, 4), mbv2.Tensor("head.conv.act").Shape);
        Assert.Equal(new Shape(1000, 1, 1), mbv2.Tensor("classifier").Shape);

        var yolo = ModelZoo.Build("tinyyolov2", Shape.Parse("3,320,608"));
        Assert.Equal(new Shape(125, 10, 19), yolo.Tensor("conv9").Shape);

        var tiny = ModelZoo.Build("tiny", new Shape(1, 8, 12));
        Assert.Equal(new Shape(5, 1, 4), tiny.Tensor("inst.cls").Shape);
        Assert.Equal(new Shape(10, 1, 1), tiny.Tensor("img.cls").Shape);
        Assert.Equal(new Shape(16, 4, 6), tiny.Tensor("ppm.up").Shape);

        Assert.Equal(ModelZoo.Build("mobilefacenet"), ModelZoo.Build("mobilefacenet", new Shape(3, 112, 112)));
    }

    [Theory]
    [InlineData("mobilenetv2", "3,100,100",
        "model 'mobilenetv2' takes input 3,H,W with H and W multiples of 32 (default 3,224,224); got 3,100,100")]
    [InlineData("mobilenetv2", "1,224,224",
        "model 'mobilenetv2' takes input 3,H,W with H and W multiples of 32 (default 3,224,224); got 1,224,224")]
    [InlineData("tinyyolov2", "3,416,400",
        "model 'tinyyolov2' takes input 3,H,W with H and W multiples of 32 (default 3,416,416); got 3,416,400")]
    [InlineData("mobilefacenet", "3,96,96",
        "model 'mobilefacenet' takes input 3,112,112 only (its 7x7 global depthwise conv needs a 7x7 last feature map); got 3,96,96")]
    [InlineData("tiny", "3,30,32",
        "model 'tiny' takes input C,H,W with H and W multiples of 4 (default 3,32,32); got 3,30,32")]
    public void Input_override_a_model_cannot_take_is_one_clear_line(string model, string input, string message)
    {
        var e = Assert.Throws<BnnHdlException>(() => ModelZoo.Build(model, Shape.Parse(input)));
        Assert.Equal(message, e.Message);
    }
}
