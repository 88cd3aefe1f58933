using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Reference;

/// <summary>Run's checks and errors, progress, Accumulate, and the loud failure on impossible values.</summary>
public sealed class ReferenceModelApiTests
{
    private static Graph SmallNetwork(int convs)
    {
        var b = new NetworkBuilder("small");
        var x = b.Input(2, 3, 3, DataType.U(2));
        for (int i = 0; i < convs; i++) x = b.MultiThreshold(b.Conv2d(x, 2, 3, pad: 1), DataType.U(2));
        b.Output(x);
        return b.Build();
    }

    private static TensorData Zeros(Shape shape, DataType type) =>
        TensorData.Create(shape, type, new long[shape.Size]);

    [Fact]
    public void Run_names_the_layer_missing_parameters()
    {
        var ex = Assert.Throws<BnnHdlException>(() =>
            ReferenceModel.Run(SmallNetwork(1), Zeros(new Shape(2, 3, 3), DataType.U(2))));
        Assert.Equal("network 'small': cannot run the reference model, parameters are missing for 'conv1', 'thr1' (load weights or fill them with a seed)", ex.Message);
    }

    [Fact]
    public void Run_names_the_first_three_layers_missing_parameters_and_counts_the_rest()
    {
        var ex = Assert.Throws<BnnHdlException>(() =>
            ReferenceModel.Run(SmallNetwork(3), Zeros(new Shape(2, 3, 3), DataType.U(2))));
        Assert.Equal("network 'small': cannot run the reference model, parameters are missing for 'conv1', 'thr1', 'conv2' and 3 more (load weights or fill them with a seed)", ex.Message);
    }

    [Fact]
    public void Run_rejects_an_input_of_the_wrong_shape()
    {
        var g = RandomCases.FillParameters(SmallNetwork(1), SeededRandom.For(1, "api"));
        var ex = Assert.Throws<BnnHdlException>(() => ReferenceModel.Run(g, Zeros(new Shape(2, 3, 4), DataType.U(2))));
        Assert.Equal("network 'small': input 'input' expects a 2x3x3 U2 tensor, got 2x3x4 U2", ex.Message);
    }

    [Fact]
    public void Run_rejects_an_input_of_the_wrong_type()
    {
        var g = RandomCases.FillParameters(SmallNetwork(1), SeededRandom.For(1, "api"));
        var ex = Assert.Throws<BnnHdlException>(() => ReferenceModel.Run(g, Zeros(new Shape(2, 3, 3), DataType.U(8))));
        Assert.Equal("network 'small': input 'input' expects a 2x3x3 U2 tensor, got 2x3x3 U8", ex.Message);
    }

    [Fact]
    public void Run_reports_every_layer_as_it_starts_and_keeps_every_tensor()
    {
        var g = RandomCases.FillParameters(SmallNetwork(2), SeededRandom.For(2, "api"));
        var heard = new List<string>();
        var run = ReferenceModel.Run(g, Zeros(new Shape(2, 3, 3), DataType.U(2)), new SynchronousProgress(heard.Add));
        Assert.Equal(["input", "conv1", "thr1", "conv2", "thr2"], heard);
        Assert.Equal(heard, run.Tensors.Keys);
        Assert.Equal(g.Tensor("conv2").Type, run["conv2"].Type);
    }

    [Fact]
    public void Accumulate_is_the_conv_output_and_refuses_other_ops()
    {
        var r = SeededRandom.For(3, "api");
        var g = RandomCases.FillParameters(SmallNetwork(1), r);
        var input = RandomCases.Tensor(r, new Shape(2, 3, 3), DataType.U(2));
        Assert.Equal(ReferenceModel.Run(g, input)["conv1"], ReferenceModel.Accumulate(g["conv1"], input));
        var ex = Assert.Throws<ArgumentException>(() => ReferenceModel.Accumulate(g["thr1"], input));
        Assert.StartsWith("layer 'thr1' is a MultiThreshold; only Conv2d and Linear layers have an accumulator", ex.Message);
    }

    [Fact]
    public void Evaluate_refuses_inputs_the_layer_was_not_built_for()
    {
        var g = RandomCases.FillParameters(SmallNetwork(1), SeededRandom.For(4, "api"));
        var wide = Assert.Throws<ArgumentException>(() => ReferenceModel.Evaluate(g["conv1"], [Zeros(new Shape(2, 3, 4), DataType.U(2))]));
        Assert.StartsWith("layer 'conv1' (Conv2d): inputs 2x3x4 U2 give a 2x3x4 I7 output, the layer makes 2x3x3 I7", wide.Message);
        var deep = Assert.Throws<ArgumentException>(() => ReferenceModel.Evaluate(g["conv1"], [Zeros(new Shape(3, 3, 3), DataType.U(2))]));
        Assert.StartsWith("inputs 3x3x3 U2 do not fit layer 'conv1' (Conv2d): has 36 weights, expected 54", deep.Message);
    }

    [Fact]
    public void A_value_outside_the_inferred_bounds_fails_loudly()
    {
        var b = new NetworkBuilder("bounds");
        var x = b.Input(1, 1, 2, DataType.U(2));
        var sum = b.GlobalSumPool(x);
        b.Output(sum);
        var g = b.Build();
        // Pretend inference had found a tighter bound than the input allows.
        var wrong = g["gsumpool1"] with { Output = g.Tensor("gsumpool1") with { Max = 5 } };
        var input = TensorData.Create(new Shape(1, 1, 2), DataType.U(2), [3, 3]);
        var ex = Assert.Throws<InvalidOperationException>(() => ReferenceModel.Evaluate(wrong, [input]));
        Assert.Equal("layer 'gsumpool1' (GlobalSumPool): value 6 at index 0 is outside the inferred bounds [0, 5]", ex.Message);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the reports in order, at once.</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
