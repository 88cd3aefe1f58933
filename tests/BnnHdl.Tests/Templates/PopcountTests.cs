using System.Numerics;
using BnnHdl.Quant;
using static BnnHdl.Tests.Templates.Hdl;

namespace BnnHdl.Tests.Templates;

/// <summary>bnn_popcount on its own: lint-clean for many N, and exact counts in Icarus (exhaustive up to 10 inputs, random beyond).</summary>
public sealed class PopcountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(100)]
    public void Lints_clean(int n) => Lint("bnn_popcount", ["bnn_popcount.v"], [("N", S(n))]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(10)]
    public void Counts_every_vector(int n) =>
        Check(n, Enumerable.Range(0, 1 << n).Select(v => new BigInteger(v)).ToList());

    [Theory]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(64)]
    [InlineData(100)]
    public void Counts_random_vectors(int n)
    {
        var r = SeededRandom.For(n, "popcount vectors");
        var vectors = new List<BigInteger> { 0, Ones(n) };
        // Sparse, dense and even vectors: every count from 0 to N is likely.
        for (int k = 0; k < 300; k++)
        {
            double density = r.NextDouble();
            BigInteger v = 0;
            for (int b = 0; b < n; b++) if (r.NextDouble() < density) v |= BigInteger.One << b;
            vectors.Add(v);
        }
        Check(n, vectors);
    }

    private static void Check(int n, IReadOnlyList<BigInteger> vectors)
    {
        var lines = Simulate("tb_popcount.v", ["bnn_popcount.v"], [("N", S(n)), ("COUNT", S(vectors.Count))],
            new Dictionary<string, string> { ["vectors.memh"] = Memh(vectors, n) });
        Assert.Equal(vectors.Select(v => S(PopCount(v))), lines);
    }
}
