using BnnHdl.Cosim;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Cosim;

public class CosimVerdictTests
{
    private static TensorData Tensor(params long[] values) =>
        TensorData.Create(new Shape(2, 2, 3), DataType.I(8), values);

    private static readonly long[] Expected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    [Fact]
    public void Equal_tensors_have_no_mismatch()
    {
        Assert.Null(CosimVerdict.FirstMismatch(Tensor(Expected), Tensor(Expected)));
    }

    [Fact]
    public void The_first_mismatch_is_located_by_channel_row_and_column()
    {
        long[] got = (long[])Expected.Clone();
        got[10] = -3; // channel 1, y 1, x 1
        got[11] = 0;
        Assert.Equal(new Mismatch(1, 1, 1, 11, -3, 2), CosimVerdict.FirstMismatch(Tensor(Expected), Tensor(got)));
    }

    [Fact]
    public void The_verdict_names_layer_channel_position_expected_and_got()
    {
        var verdict = new CosimVerdict(SimulatorKind.Icarus, EquatableArray.From(
            new LayerVerdict("conv1", "conv1.q", null, 100, 100),
            new LayerVerdict("conv2", "conv2.q", new Mismatch(3, 0, 2, 1, -1, 7), 50, 50),
            new LayerVerdict("fc", "fc", null, 12, 11)), 163, 162);
        Assert.False(verdict.Passed);
        Assert.Equal(
            "icarus: conv1  bit-exact; 100 cycles as predicted\n" +
            "icarus: conv2  MISMATCH at channel 3, y 0, x 2: expected 1, got -1 (7 values differ); 50 cycles as predicted\n" +
            "icarus: fc     bit-exact; CYCLES 12, predicted 11\n" +
            "icarus: FAIL: 1 of 3 layers bit-exact and cycle-exact, run 163 cycles, predicted 162\n",
            verdict.Format());
    }

    [Fact]
    public void A_run_passes_only_when_every_layer_and_the_total_match()
    {
        var layers = new[] { new LayerVerdict("a", "a", null, 5, 5) }.ToEquatableArray();
        Assert.True(new CosimVerdict(SimulatorKind.Verilator, layers, 6, 6).Passed);
        Assert.False(new CosimVerdict(SimulatorKind.Verilator, layers, 7, 6).Passed);
    }
}
