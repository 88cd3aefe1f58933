using BnnHdl.Network;

namespace BnnHdl.Reference;

/// <summary>
/// ActMatMul (SPEC 3.3) on bit-packed data. Each operand tensor C x H x W is the matrix
/// [C][H*W], optionally transposed, giving A'[N][K] and B'[K][M]; the rows of A' and the
/// columns of B' are packed into bit-planes once, and every product entry is AND + popcount
/// combined by the SPEC section 2 algebra (both operands may be U(k) or B).
/// </summary>
internal static class MatMul
{
    public static TensorData Evaluate(Layer layer, ActMatMulOp op, TensorData a, TensorData b)
    {
        var aCode = OperandCode.For(a.Type);
        var bCode = OperandCode.For(b.Type);
        var algebra = new DotAlgebra(aCode, bCode);
        var aView = new MatrixView(a, op.TransposeA);
        var bView = new MatrixView(b, op.TransposeB);
        int n = aView.Rows, k = aView.Cols, m = bView.Cols;
        if (bView.Rows != k)
            throw new InvalidOperationException($"layer '{layer.Name}': inner dimensions differ ({n}x{k} times {bView.Rows}x{m})");

        int words = BitPlanes.WordsFor(k);
        var (aRows, aSums) = PackLines(aView, aCode, n, k, words, byRow: true);
        var (bCols, bSums) = PackLines(bView, bCode, m, k, words, byRow: false);
        int aStride = aCode.Planes * words, bStride = bCode.Planes * words;

        var result = new long[(long)n * m];
        Parallel.For(0, n, row =>
        {
            var aRow = aRows.AsSpan(row * aStride, aStride);
            for (int col = 0; col < m; col++)
            {
                long cross = BitPlanes.Cross(aRow, aCode.Planes, bCols.AsSpan(col * bStride, bStride), bCode.Planes, words);
                result[(long)row * m + col] = algebra.Combine(cross, aSums[row], bSums[col], k);
            }
        });
        return LayerOutput.Create(layer, result);
    }

    /// <summary>
    /// Packs <paramref name="count"/> lines of K terms each: the rows of a view (for A') or
    /// its columns (for B'), with each line's plane sum.
    /// </summary>
    private static (ulong[] Bits, long[] Sums) PackLines(MatrixView view, OperandCode code, int count, int k, int words, bool byRow)
    {
        int stride = code.Planes * words;
        var bits = new ulong[count * stride];
        var sums = new long[count];
        for (int line = 0; line < count; line++)
        {
            var packed = bits.AsSpan(line * stride, stride);
            for (int t = 0; t < k; t++)
            {
                long value = byRow ? view[line, t] : view[t, line];
                BitPlanes.SetTerm(packed, words, code.Planes, t, code.Stored(value));
            }
            sums[line] = BitPlanes.PlaneSum(packed, words, code.Planes);
        }
        return (bits, sums);
    }

    /// <summary>A tensor seen as the matrix [C][H*W], or its transpose [H*W][C].</summary>
    private readonly struct MatrixView(TensorData t, bool transpose)
    {
        public int Rows => transpose ? t.Shape.Positions : t.Shape.C;
        public int Cols => transpose ? t.Shape.C : t.Shape.Positions;

        public long this[int row, int col] =>
            transpose ? t.Values[col * t.Shape.Positions + row] : t.Values[row * t.Shape.Positions + col];
    }
}
