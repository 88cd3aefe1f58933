using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Tests.Reference;

/// <summary>
/// A deliberately naive second implementation of SPEC.md, used only to check the reference
/// model: every op is the section 3 formula as a plain loop on the integer values, with
/// ordinary multiplication. It shares no code with the reference model (only the network
/// records and TensorData), so a mistake would have to be made twice to go unnoticed.
/// </summary>
internal static class Oracle
{
    public static Dictionary<string, TensorData> Run(Graph network, TensorData input)
    {
        var tensors = new Dictionary<string, TensorData>();
        foreach (var layer in network.Layers)
            tensors[layer.Name] = layer.Op is InputOp ? input : Evaluate(layer, layer.Inputs.Select(n => tensors[n]).ToList());
        return tensors;
    }

    public static TensorData Evaluate(Layer layer, IReadOnlyList<TensorData> x)
    {
        var s = layer.Output.Shape;
        var values = new long[s.C * s.H * s.W];
        for (int c = 0; c < s.C; c++)
            for (int y = 0; y < s.H; y++)
                for (int xx = 0; xx < s.W; xx++)
                    values[(c * s.H + y) * s.W + xx] = Value(layer, x, c, y, xx);
        return TensorData.Create(s, layer.Output.Type, values);
    }

    /// <summary>One output value, straight from its SPEC formula.</summary>
    private static long Value(Layer layer, IReadOnlyList<TensorData> x, int c, int y, int xx) => layer.Op switch
    {
        Conv2dOp o => Conv(layer, o, x[0], c, y, xx),
        LinearOp o => Linear(layer, o, x[0], c, y, xx),
        ActMatMulOp o => MatMul(layer, o, x[0], x[1], c, y, xx),
        MultiThresholdOp o => Threshold(layer, o, x[0][c, y, xx], c),
        AddOp o => (x[0][c, y, xx] << o.ShiftA) + (x[1][c, y, xx] << o.ShiftB),
        MulOp => Gate(x[0], x[0][c, y, xx], x[1][c, y, xx]),
        Pool2dOp o => Pool(o, x[0], c, y, xx),
        GlobalSumPoolOp => Sum(x[0], c, 0, x[0].Shape.H, 0, x[0].Shape.W),
        AdaptiveSumPoolOp o => Sum(x[0], c, BinStart(y, x[0].Shape.H, o.Bins.Y), BinEnd(y, x[0].Shape.H, o.Bins.Y),
                                   BinStart(xx, x[0].Shape.W, o.Bins.X), BinEnd(xx, x[0].Shape.W, o.Bins.X)),
        CrossChannelMaxPoolOp o => Enumerable.Range(0, o.Group).Max(g => x[0][c * o.Group + g, y, xx]),
        UpsampleNearestOp o => x[0][c, y / o.Factor.Y, xx / o.Factor.X],
        ConcatOp => ConcatValue(x, c, y, xx),
        CoordChannelsOp o => c < x[0].Shape.C ? x[0][c, y, xx]
                           : c == x[0].Shape.C ? Coord(xx, x[0].Shape.W, o.Bits) : Coord(y, x[0].Shape.H, o.Bits),
        _ => throw new InvalidOperationException("oracle has no " + layer.Op.OpName),
    };

    // SPEC 3.1: acc[o,y,x] = bias[o] + sum_{i in group(o)} sum_{ky,kx} W[o,i,ky,kx] * X[i, y*sy + ky*dy - pt, x*sx + kx*dx - pl]
    private static long Conv(Layer layer, Conv2dOp o, TensorData x, int oc, int y, int xx)
    {
        var (inStart, inEnd) = InputRange(o, x.Shape.C, oc);
        long acc = o.HasBias ? layer.Params.Bias[oc] : 0;
        int w = WeightStart(o, x.Shape.C, oc);
        for (int i = inStart; i < inEnd; i++)
            for (int ky = 0; ky < o.Kernel.Y; ky++)
                for (int kx = 0; kx < o.Kernel.X; kx++)
                {
                    int iy = y * o.Stride.Y + ky * o.Dilation.Y - o.Pad.Top;
                    int ix = xx * o.Stride.X + kx * o.Dilation.X - o.Pad.Left;
                    bool inside = iy >= 0 && iy < x.Shape.H && ix >= 0 && ix < x.Shape.W;
                    long v = inside ? x[i, iy, ix] : o.PadValue;
                    acc += layer.Params.Weights[w++] * v;
                }
        return acc;
    }

    /// <summary>The input channels of output channel oc's group.</summary>
    private static (int Start, int End) InputRange(Conv2dOp o, int inChannels, int oc)
    {
        if (o.Groups.IsUneven)
        {
            var r = o.Groups.Ranges.Single(g => oc >= g.OutStart && oc < g.OutEnd);
            return (r.InStart, r.InEnd);
        }
        int perGroupIn = inChannels / o.Groups.Count, perGroupOut = o.OutChannels / o.Groups.Count;
        int group = oc / perGroupOut;
        return (group * perGroupIn, (group + 1) * perGroupIn);
    }

    /// <summary>Weights are [oc][i][ky][kx], each channel as long as its own group's input count.</summary>
    private static int WeightStart(Conv2dOp o, int inChannels, int oc)
    {
        int start = 0;
        for (int before = 0; before < oc; before++)
        {
            var (s, e) = InputRange(o, inChannels, before);
            start += (e - s) * o.Kernel.Y * o.Kernel.X;
        }
        return start;
    }

    private static long Linear(Layer layer, LinearOp o, TensorData x, int f, int y, int xx)
    {
        long acc = o.HasBias ? layer.Params.Bias[f] : 0;
        for (int i = 0; i < x.Shape.C; i++) acc += layer.Params.Weights[f * x.Shape.C + i] * x[i, y, xx];
        return acc;
    }

    // SPEC 3.3 with the matrix view [C][H*W] of each operand, optionally transposed.
    private static long MatMul(Layer layer, ActMatMulOp o, TensorData a, TensorData b, int n, int y, int xx)
    {
        int m = y * layer.Output.Shape.W + xx;
        int k = o.TransposeA ? a.Shape.C : a.Shape.H * a.Shape.W;
        long acc = 0;
        for (int j = 0; j < k; j++)
        {
            long av = o.TransposeA ? Matrix(a, j, n) : Matrix(a, n, j);
            long bv = o.TransposeB ? Matrix(b, m, j) : Matrix(b, j, m);
            acc += av * bv;
        }
        return acc;
    }

    private static long Matrix(TensorData t, int row, int col) => t[row, col / t.Shape.W, col % t.Shape.W];

    // SPEC 3.4: q = #{ j : s[c] * acc >= t[c][j] }
    private static long Threshold(Layer layer, MultiThresholdOp o, long acc, int c)
    {
        int n = o.OutType.IsBipolar ? 1 : (1 << o.OutType.Bits) - 1;
        long s = layer.Params.Direction[c];
        int q = 0;
        for (int j = 0; j < n; j++)
            if (s * acc >= layer.Params.Thresholds[c * n + j]) q++;
        return o.OutType.IsBipolar ? (q == 1 ? 1 : -1) : q;
    }

    private static long Gate(TensorData gate, long g, long x) =>
        gate.Type.IsBipolar ? g * x : (g == 1 ? x : 0);

    private static long Pool(Pool2dOp o, TensorData x, int c, int y, int xx)
    {
        var taken = new List<long>();
        for (int ky = 0; ky < o.Kernel.Y; ky++)
            for (int kx = 0; kx < o.Kernel.X; kx++)
            {
                int iy = y * o.Stride.Y + ky - o.Pad.Top, ix = xx * o.Stride.X + kx - o.Pad.Left;
                if (iy >= 0 && iy < x.Shape.H && ix >= 0 && ix < x.Shape.W) taken.Add(x[c, iy, ix]);
            }
        return o.IsMax ? taken.Max() : taken.Sum();
    }

    private static long Sum(TensorData x, int c, int y0, int y1, int x0, int x1)
    {
        long sum = 0;
        for (int y = y0; y < y1; y++)
            for (int xx = x0; xx < x1; xx++) sum += x[c, y, xx];
        return sum;
    }

    // PyTorch: start = floor(i * n / bins), end = ceil((i + 1) * n / bins)
    private static int BinStart(int i, int n, int bins) => (int)Math.Floor((double)i * n / bins);
    private static int BinEnd(int i, int n, int bins) => (int)Math.Ceiling((double)(i + 1) * n / bins);

    private static long ConcatValue(IReadOnlyList<TensorData> x, int c, int y, int xx)
    {
        foreach (var t in x)
        {
            if (c < t.Shape.C) return t[c, y, xx];
            c -= t.Shape.C;
        }
        throw new InvalidOperationException("channel beyond the concatenation");
    }

    // SPEC 3.7: floor((2 * x * (2^k - 1) + (W - 1)) / (2 * (W - 1))), 0 when W = 1
    private static long Coord(int i, int n, int bits) =>
        n == 1 ? 0 : (long)Math.Floor((2.0 * i * ((1 << bits) - 1) + (n - 1)) / (2.0 * (n - 1)));
}
