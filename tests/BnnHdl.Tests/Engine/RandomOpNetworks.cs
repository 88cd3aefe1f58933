using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// Seeded random small networks around one operation of engine v2 each, with random operand
/// types (B, U(1..8) and I(w) where the operation takes them), shapes, windows and
/// transposes: case i exercises <see cref="Kinds"/>[i % Kinds.Length]. Shared by the
/// simulator test and the RTL co-simulation test.
/// </summary>
internal static class RandomOpNetworks
{
    public static readonly string[] Kinds =
    [
        "MaxPool2d", "SumPool2d", "GlobalSumPool", "AdaptiveSumPool", "UpsampleNearest", "Concat",
        "CoordChannels", "Mul", "Add", "MultiThreshold", "ActMatMul", "Depthwise",
    ];

    public static (Graph Graph, TensorData Input, string Description) Build(int index)
    {
        var r = SeededRandom.For(5000 + index, "engine op case");
        string kind = Kinds[index % Kinds.Length];
        var b = new NetworkBuilder("ops");
        var type = kind == "CoordChannels" ? DataType.U(Between(r, 1, 8)) : AnyQuantized(r);
        var x = b.Input(Between(r, 1, 12), Between(r, 2, 8), Between(r, 2, 8), type);
        string detail;
        // A quantized or raw (I(w)) tensor of x's size computed from x, of a random type.
        TensorInfo Computed(int channels, bool raw, DataType? of = null)
        {
            var conv = b.Conv2d(x, channels, 1, weights: r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar, bias: r.NextBool());
            return raw ? conv : b.MultiThreshold(conv, of ?? AnyQuantized(r));
        }
        TensorInfo AnyOperand(int channels) => Between(r, 0, 2) switch
        {
            0 when x.Shape.C == channels => x,
            1 => Computed(channels, raw: true),
            _ => Computed(channels, raw: false),
        };
        switch (kind)
        {
            case "MaxPool2d" or "SumPool2d":
            {
                int k = Between(r, 1, Math.Min(3, Math.Min(x.Shape.H, x.Shape.W))), s = Between(r, 1, 3), pad = Between(r, 0, k / 2);
                var y = kind == "MaxPool2d" ? b.MaxPool2d(x, k, s, pad) : b.SumPool2d(x, k, s, pad);
                b.Output(y);
                detail = $"k={k} s={s} pad={pad}";
                break;
            }
            case "GlobalSumPool":
                b.Output(b.GlobalSumPool(x));
                detail = "";
                break;
            case "AdaptiveSumPool":
            {
                var bins = new Pair(Between(r, 1, Math.Min(6, x.Shape.H)), Between(r, 1, Math.Min(6, x.Shape.W)));
                b.Output(b.AdaptiveSumPool(x, bins));
                detail = $"bins={bins.Y}x{bins.X}";
                break;
            }
            case "UpsampleNearest":
            {
                var f = new Pair(Between(r, 1, 3), Between(r, 1, 3));
                var src = r.NextBool() ? x : Computed(Between(r, 1, 9), raw: false);
                b.Output(b.UpsampleNearest(src, f));
                detail = $"factor={f.Y}x{f.X} of {src.Type}";
                break;
            }
            case "Concat":
            {
                var t = AnyQuantized(r);
                var parts = Enumerable.Range(0, Between(r, 2, 3)).Select(_ => Computed(Between(r, 1, 9), raw: false, of: t)).ToList();
                if (x.Type == t && r.NextBool()) parts.Insert(Between(r, 0, parts.Count), x);
                var cat = b.Concat(parts);
                b.Output(r.NextBool() ? cat : b.MultiThreshold(b.Conv2d(cat, Between(r, 1, 9), 3, pad: 1), AnyQuantized(r)));
                detail = $"{parts.Count} x {t}";
                break;
            }
            case "CoordChannels":
            {
                var xy = b.CoordChannels(x, x.Type.Bits);
                b.Output(b.MultiThreshold(b.Conv2d(xy, Between(r, 1, 9), 1), AnyQuantized(r)));
                detail = "";
                break;
            }
            case "Mul":
            {
                // Alternate the gate type between successive Mul cases (both kinds every 24 cases).
                var gate = Computed(x.Shape.C, raw: false, of: index / Kinds.Length % 2 == 0 ? DataType.B : DataType.U(1));
                var v = AnyOperand(x.Shape.C);
                b.Output(b.Mul(gate, v));
                detail = $"gate {gate.Type} x {v.Type}";
                break;
            }
            case "Add":
            {
                var (a1, a2) = (AnyOperand(x.Shape.C), AnyOperand(x.Shape.C));
                int sa = Between(r, 0, 2), sb = Between(r, 0, 2);
                var sum = b.Add(a1, a2, sa, sb);
                b.Output(r.NextBool() ? sum : b.MultiThreshold(sum, AnyQuantized(r)));
                detail = $"{a1.Type} << {sa} + {a2.Type} << {sb}";
                break;
            }
            case "MultiThreshold":
            {
                // A raw tensor that is also a network output, so its threshold stands alone.
                var raw = r.NextBool() ? Computed(Between(r, 1, 9), raw: true) : b.SumPool2d(x, 2, 1, 0);
                b.Output(raw, b.MultiThreshold(raw, AnyQuantized(r)));
                detail = $"of {raw.Type}";
                break;
            }
            case "ActMatMul":
            {
                // Matrix views: A [C][HW] (transposed [HW][C]) times Bm likewise; every operand is
                // computed from x, so HW is x's positions and the channel counts make K agree.
                bool ta = r.NextBool(), tb = r.NextBool();
                int positions = x.Shape.Positions, k = ta && !tb ? Between(r, 1, 9) : positions;
                var a = Computed(ta ? k : Between(r, 1, 9), raw: false);
                var bm = Computed(tb ? Between(r, 1, 9) : k, raw: false);
                var y = b.ActMatMul(a, bm, ta, tb);
                b.Output(r.NextBool() ? y : b.MultiThreshold(y, AnyQuantized(r)));
                detail = $"{a.Type}{(ta ? "^T" : "")} x {bm.Type}{(tb ? "^T" : "")}";
                break;
            }
            default: // Depthwise and strip convolutions, dilated and strided
            {
                int kk = Between(r, 2, 7);
                var kernel = Pick(r, new Pair(1, kk), new Pair(kk, 1), new Pair(Math.Min(kk, 5), Math.Min(kk, 5)));
                var dil = new Pair(Between(r, 1, 2), Between(r, 1, 2));
                var pad = new Padding(kernel.Y / 2 * dil.Y, kernel.X / 2 * dil.X, kernel.Y / 2 * dil.Y, kernel.X / 2 * dil.X);
                int? pv = x.Type.IsBipolar ? (r.NextBool() ? 1 : -1) : null;
                var conv = b.DepthwiseConv2d(x, kernel, Between(r, 1, 2), pad, dil,
                    weights: r.NextBool() ? WeightType.Bipolar : WeightType.Unipolar, padValue: pv, bias: r.NextBool());
                b.Output(r.NextBool() ? conv : b.MultiThreshold(conv, AnyQuantized(r)));
                detail = $"{kernel.Y}x{kernel.X} d={dil.Y}x{dil.X}";
                break;
            }
        }
        var g = FillParameters(b.Build(), r);
        return (g, Tensor(r, x.Shape, x.Type), $"{kind} on {x.Shape.C}x{x.Shape.H}x{x.Shape.W} {x.Type} {detail}".TrimEnd());
    }
}
