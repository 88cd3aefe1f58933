using BnnHdl.Network;
using BnnHdl.Quant;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Reference;

/// <summary>ActMatMul of the reference model against the oracle: every transpose combination, U and B operands.</summary>
public sealed class MatMulOracleTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ActMatMul_matches_the_oracle(bool transposeA, bool transposeB)
    {
        var r = SeededRandom.For(21, $"matmul {transposeA} {transposeB}");
        for (int i = 0; i < 24; i++)
        {
            // One operand is the input X, the other D = MultiThreshold(Linear(X)) of another type;
            // both are [C][H*W] matrices over the same positions.
            bool inputIsA = i % 2 == 0;
            var (xType, dType) = (QuantizedTypes[i % QuantizedTypes.Length], AnyQuantized(r));
            bool wide = i % 8 == 7;
            int h = wide ? Between(r, 8, 10) : Between(r, 1, 4), w = wide ? Between(r, 8, 10) : Between(r, 1, 4);
            int p = h * w;
            int cx = Between(r, 1, wide ? 70 : 6), cd = Between(r, 1, wide ? 70 : 6);
            // Make the inner dimensions agree (see the matrix views in ActMatMulOp).
            if (inputIsA)
            {
                if (transposeB && transposeA) cx = p;
                if (!transposeB) cd = transposeA ? cx : p;
            }
            else
            {
                if (transposeA) cd = transposeB ? p : cx;
                else if (!transposeB) cx = p;
            }

            var b = new NetworkBuilder("matmul");
            var x = b.Input(cx, h, w, xType);
            var d = b.MultiThreshold(b.Linear(x, cd), dType);
            var (a, bm) = inputIsA ? (x, d) : (d, x);
            int m = transposeB ? bm.Shape.C : bm.Shape.Positions;
            int outH = Pick(r, Enumerable.Range(1, m).Where(k => m % k == 0).ToArray());
            b.Output(b.ActMatMul(a, bm, transposeA, transposeB, outH, m / outH));
            CheckAgainstOracle(FillParameters(b.Build(), r), r,
                $"case {i}: A={(inputIsA ? "X" : "D")} X={cx}x{h}x{w} {xType} D={cd} {dType} out {outH}x{m / outH}");
        }
    }

    [Fact]
    public void ActMatMul_of_a_tensor_with_its_own_transpose_matches_the_oracle()
    {
        var r = SeededRandom.For(22, "gram");
        foreach (var type in QuantizedTypes)
        {
            var b = new NetworkBuilder("gram");
            var x = b.Input(Between(r, 1, 9), Between(r, 1, 9), Between(r, 1, 9), type);
            b.Output(b.ActMatMul(x, x, transposeA: false, transposeB: true));
            CheckAgainstOracle(b.Build(), r, $"X x X^T of {type}");
        }
    }
}
