using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Lowering;

/// <summary>Memory words, widths and cycles of a layer small enough to work out by hand.</summary>
public sealed class BuildImagesTests
{
    /// <summary>
    /// B input 3x1x1; 1x1 conv with bipolar weights o0 = [+1, -1, +1], o1 = [-1, -1, -1], bias
    /// [5, -3]; B threshold: o0 t = 2 (s = +1), o1 t = INT32_MIN (s = -1).
    /// </summary>
    private static Graph HandNetwork()
    {
        var b = new NetworkBuilder("hand");
        var x = b.Input(3, 1, 1, DataType.B);
        var c = b.Conv2d(x, 2, 1, bias: true, name: "c",
            parameters: LayerParams.Conv([1, -1, 1, -1, -1, -1], [5, -3]));
        b.Output(b.MultiThreshold(c, DataType.B, LayerParams.Threshold([2, int.MinValue], [1, -1]), name: "t"));
        return b.Build();
    }

    private static readonly LoweredProgram Program = LoweringPipeline.Lower(HandNetwork(), new EngineConfig(2, 4));

    [Fact]
    public void Folded_bias_and_thresholds_fill_the_threshold_memory()
    {
        // B input, B weights: bias' = bias - 2 * (ones among the weights) + K, K = 3:
        // o0: 5 - 2*2 + 3 = 4; o1: -3 - 0 + 3 = 0.
        Assert.Equal([4L, 0L], Folding.Bias(Program.Layers[0].Source, Program.Layers[0].Source.Dot.Words()[0]));
        // acc bounds [-3 - 3, 3 + 5] = [-6, 8]. o0: t' = 2. o1 (s = -1): t' = 1 - INT32_MIN,
        // clamped to accMax + 1 = 9, direction bit 1.
        var (t, negated) = Folding.Thresholds(Program.Layers[0].Source);
        Assert.Equal([2L, 9L], t);
        Assert.Equal([false, true], negated);

        // TW holds 0..9: 5 bits; one word for the tile, per PE bias', t'_1 and the direction bit
        // (2 x 5 + 1 = 11 bits), P = 2 -> 22 bits.
        Assert.Equal(5, Program.Dimensions.ThresholdBits);
        var tm = Program.Images.Thresholds;
        Assert.Equal((22, 1), (tm.WordBits, tm.Depth));
        // PE 0: 4 | 2 << 5 | 0 << 10; PE 1: (0 | 9 << 5 | 1 << 10) << 11.
        Assert.Equal("290044", tm.Hex(0));
    }

    [Fact]
    public void Weights_and_widths()
    {
        // One tile, one tap, one block: PE 0 lanes 0..2 = stored bits 1, 0, 1; PE 1 all 0.
        Assert.Equal(["05"], Enumerable.Range(0, Program.Images.Weights.Depth).Select(Program.Images.Weights.Hex));
        // AW: cross <= 3 with SC = 2 -> 12, plus bias' 4 -> 16; -(corr << 1) >= -6: [-6, 16] -> 6 bits.
        Assert.Equal(6, Program.Dimensions.AccumulatorBits);
        var d = Program.Layers[0].Descriptor;
        Assert.Equal((2, 1, 1, 0, 1, 1, 0), (d.Sc, d.Sk, d.Corr, d.PadOne, d.NThr, d.OutK, d.OutRaw));
        Assert.Equal((0, 1, 2), (d.InBase, d.OutBase, Program.Dimensions.FmWords));
        Assert.Equal(EngineUnits.Thresholds | EngineUnits.Correction, Program.Dimensions.Units);
    }

    [Fact]
    public void Cycles_and_result_by_hand()
    {
        // LAYER_SETUP 2 + one tile (TILE_SETUP 2 + its one position: 1 beat + drain + acc + W = 1 write) = 8; run = 8 + 1.
        Assert.Equal(new CyclePrediction(EquatableArray.From(8L), 9), CycleModel.Predict(Program));
        // Input [+1, +1, -1]: o0 = 1 - 1 - 1 + 5 = 4 >= 2 -> +1; o1: -(-1 - 1 + 1 - 3) = 4 >= INT32_MIN -> +1.
        var input = TensorData.Create(new Shape(3, 1, 1), DataType.B, [1, 1, -1]);
        var run = EngineSimulator.Run(Program, input);
        Assert.Equal([1L, 1L], run["t"].Values);
        Assert.Equal(9, run.TotalCycles);
        // The output word: lanes 0 and 1 set.
        Assert.Equal("3", run.FinalFeatureMemory.Hex(1));
    }

    [Fact]
    public void Program_and_tile_words_decode_to_their_descriptors()
    {
        var parts = Program.Layers.SelectMany(l => l.Parts).ToList();
        foreach (var (part, k) in parts.Select((p, k) => (p, k)))
        {
            Assert.Equal(part.Descriptor, LayerDescriptor.FromFields(Program.Layout.Program.Unpack(Program.Images.Program.Word(k))));
            for (int t = 0; t < part.Tiles.Count; t++)
                Assert.Equal(part.Tiles[t], TileDescriptor.FromFields(
                    Program.Layout.Tile.Unpack(Program.Images.Tiles.Word(part.Descriptor.TileBase + t))));
        }
    }
}
