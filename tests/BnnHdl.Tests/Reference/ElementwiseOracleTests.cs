using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Reference;

/// <summary>MultiThreshold, Add and Mul of the reference model against the oracle.</summary>
public sealed class ElementwiseOracleTests
{
    /// <summary>How an operand of the same shape as the input is made: U/B from the input or a threshold, I from a conv or sum pool.</summary>
    private enum Source { Input, Quantized, Conv, SumPool }

    private static TensorInfo Make(NetworkBuilder b, TensorInfo x, Source source, SeededRandom r) => source switch
    {
        Source.Input => x,
        Source.Quantized => b.MultiThreshold(b.Linear(x, x.Shape.C), AnyQuantized(r)),
        Source.Conv => b.Conv2d(x, x.Shape.C, 3, pad: 1, bias: r.NextBool()),
        _ => b.SumPool2d(x, 3, stride: 1, pad: 1),
    };

    public static TheoryData<string> OutputTypes() => ["B", "U1", "U2", "U3", "U4", "U8"];

    [Theory]
    [MemberData(nameof(OutputTypes))]
    public void MultiThreshold_matches_the_oracle_on_U_B_and_I_inputs(string outType)
    {
        var r = SeededRandom.For(31, "threshold " + outType);
        for (int i = 0; i < 12; i++)
        {
            var b = new NetworkBuilder("thr");
            var x = b.Input(Between(r, 1, 6), Between(r, 1, 5), Between(r, 1, 5), QuantizedTypes[i % QuantizedTypes.Length]);
            var source = (Source)(i % 4 == 0 ? 0 : Between(r, 1, 3));
            b.Output(b.MultiThreshold(Make(b, x, source, r), DataType.Parse(outType)));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i}: {x.Type} via {source} -> {outType}");
        }
    }

    [Fact]
    public void Add_with_shifts_matches_the_oracle_on_U_B_and_I_operands()
    {
        var r = SeededRandom.For(32, "add");
        for (int i = 0; i < 48; i++)
        {
            var b = new NetworkBuilder("add");
            var x = b.Input(Between(r, 1, 5), Between(r, 1, 5), Between(r, 1, 5), QuantizedTypes[i % QuantizedTypes.Length]);
            var (sa, sb) = ((Source)Between(r, 0, 3), (Source)Between(r, 0, 3));
            var (shiftA, shiftB) = (Between(r, 0, 5), Between(r, 0, 5));
            b.Output(b.Add(Make(b, x, sa, r), Make(b, x, sb, r), shiftA, shiftB));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i}: {x.Type} {sa} << {shiftA} + {sb} << {shiftB}");
        }
    }

    [Theory]
    [InlineData("U1")]
    [InlineData("B")]
    public void Mul_gating_matches_the_oracle_on_U_B_and_I_values(string gateType)
    {
        var r = SeededRandom.For(33, "mul " + gateType);
        var gate = DataType.Parse(gateType);
        for (int i = 0; i < 24; i++)
        {
            var b = new NetworkBuilder("mul");
            // Every third case gates the input with itself or a tensor made from it.
            var type = i % 3 == 0 ? gate : QuantizedTypes[i % QuantizedTypes.Length];
            var x = b.Input(Between(r, 1, 5), Between(r, 1, 5), Between(r, 1, 5), type);
            var g = type == gate && r.NextBool() ? x : b.MultiThreshold(b.Linear(x, x.Shape.C), gate);
            var source = (Source)Between(r, 0, 3);
            b.Output(b.Mul(g, Make(b, x, source, r)));
            CheckAgainstOracle(FillParameters(b.Build(), r), r, $"case {i}: {gateType} gate on {type} via {source}");
        }
    }
}
