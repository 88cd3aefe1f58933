using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reports;
using BnnHdl.Tests.Engine;
using BnnHdl.Tests.Support;
using BnnHdl.Zoo;

namespace BnnHdl.Tests.Zoo;

/// <summary>
/// MSCAN (SegNeXt): the float structure's parameter counts against the official code, the
/// binary network's convolutions against that structure, and a reduced MSCAN-T on the engine.
/// </summary>
public sealed class MscanTests
{
    [Fact]
    public void Float_structure_parameter_counts_agree_with_the_official_code()
    {
        // Summed from mmseg/models/backbones/mscan.py (Visual-Attention-Network/SegNeXt) with
        // the T and S configs of local_configs/segnext: every conv's weight and bias, the BN and
        // LayerNorm affines, the layer scales; ../shared/reference/networks.md section 3 gives
        // 3.904M and 13.450M the same way.
        Assert.Equal(3_903_584, MscanFloatStructure.Count(MscanVariant.T));
        Assert.Equal(13_450_176, MscanFloatStructure.Count(MscanVariant.S));
        // SegNeXt Table 3 (ImageNet-1K classification) counts the backbone with its 1000-class
        // linear head: 4.2M for MSCAN-T and 14.0M for MSCAN-S.
        long Head(int c) => c * 1000 + 1000;
        Assert.Equal(42, (long)Math.Round((MscanFloatStructure.Count(MscanVariant.T) + Head(256)) / 100_000.0));
        Assert.Equal(140, (long)Math.Round((MscanFloatStructure.Count(MscanVariant.S) + Head(512)) / 100_000.0));
    }

    [Theory]
    [InlineData("T")]
    [InlineData("S")]
    public void Every_float_convolution_has_a_binary_convolution_of_its_name_and_shape(string variant)
    {
        var v = variant == "T" ? MscanVariant.T : MscanVariant.S;
        var g = Mscan.Build(v);
        var convs = g.Layers.Where(l => l.Op is Conv2dOp).ToDictionary(l => l.Name);
        var weights = MscanFloatStructure.Parameters(v).Where(p => p.Shape.Length == 4).ToList();
        Assert.Equal(weights.Select(p => p.Name[..^".weight".Length]).Order(), convs.Keys.Order());
        foreach (var p in weights)
        {
            var layer = convs[p.Name[..^".weight".Length]];
            var conv = (Conv2dOp)layer.Op;
            int inputs = g.Tensor(layer.Inputs[0]).Shape.C;
            Assert.Equal(p.Shape, new[] { conv.OutChannels, inputs / conv.Groups.Count, conv.Kernel.Y, conv.Kernel.X });
        }
    }

    [Fact]
    public void Mscan_t_at_512_does_the_macs_the_official_structure_does()
    {
        // networks.md section 3: 4.64 GMACs at 512 x 512 (stage 1 1.23G, 2 1.17G, 3 1.65G,
        // 4 0.48G), derived from mscan.py; the binary network has the same convolutions.
        var totals = NetworkSummary.Of(Mscan.Build(MscanVariant.T, new Shape(3, 512, 512))).Totals;
        Assert.Equal(464, (long)Math.Round(totals.Macs / 10_000_000.0));
    }

    [Fact]
    public void A_reduced_mscan_t_equals_the_reference_on_the_engine()
    {
        var (g, input) = SeededNetwork.Prepare(Mscan.Build(MscanVariant.T, new Shape(3, 32, 32)), 11);
        var (program, _) = EngineCheck.AgainstReference(g, new EngineConfig(16, 32, segments: 4, banks: 32), input, "mscan-t 32x32");
        // The attention sums ride on the vertical strips, walked down their columns.
        Assert.Contains(program.Layers, l => l.Source.Name.EndsWith("conv0_2", StringComparison.Ordinal) && l.Descriptor.Vert == 1 && l.Descriptor.ResKind != 0);
    }

    [Fact]
    public void The_mscan_t_backbone_keeps_over_80_percent_of_the_lanes_busy_at_64x64()
    {
        // The engine that reaches the per-kind goals (EngineUtilizationTests), on the whole
        // backbone at 256 x 256: every cycle counted, elementwise thresholds and depthwise
        // layers included.
        var g = Mscan.Build(MscanVariant.T);
        var filled = BnnHdl.Quant.RandomParameters.Fill(g, BnnHdl.Golden.InputImages.Random(g.Input.Output, 3), 3);
        var program = BnnHdl.Lowering.LoweringPipeline.Lower(filled, new EngineConfig(64, 64, segments: 16, banks: 64, peGroups: 4));
        var u = EngineUtilization.Of(program);
        Assert.Equal(690_006, u.Cycles);
        Assert.InRange(u.Utilization, 0.829, 0.830);
        // The attention sums ride on the 7x1, 11x1 and 21x1 strips, walked down their columns.
        var fused = program.Layers.Where(l => l.Source.Add is not null && l.Source.Dot.Geometry.Kernel.X == 1 && l.Source.Dot.Geometry.Kernel.Y > 1).ToList();
        Assert.Equal(3 * 13, fused.Count);
        Assert.All(fused, l => Assert.Equal((1, 1), (l.Descriptor.Vert, l.Descriptor.Win)));
    }
}
