using BnnHdl.Network;

namespace BnnHdl.Quant;

/// <summary>
/// Float weights into a network's parameters (SPEC 5; docs/weights.md gives the naming
/// scheme). For every Conv2d / Linear layer L: <c>L.weight</c> ([OC, IC/groups, KH, KW],
/// [OC, IC] for Linear, flat for uneven groups) becomes its sign (w &gt;= 0: +1, or 1 for
/// unipolar layers; w &lt; 0: -1, or 0), and <c>L.bias</c> ([OC]) is rounded into the layer's
/// integer bias when the layer has one, else carried as a per-channel float offset of its
/// output through Adds (times 2^shift) into the thresholds that follow. For every
/// MultiThreshold T: the batch norm <c>T.weight</c> (gamma), <c>T.bias</c> (beta),
/// <c>T.running_mean</c>, <c>T.running_var</c> ([C], eps = 1e-5 as PyTorch) and the
/// quantizer's ascending level boundaries <c>T.levels</c> ([C, n], n = 2^k - 1 or 1 for B):
/// level q = #{j : y &gt;= levels[c][j]}, y = gamma (x - (mean - offset)) / sqrt(var + eps) + beta
/// evaluated in double precision (so exact ties fall as that expression rounds).
/// </summary>
public static class FloatImport
{
    public const double Eps = 1e-5;

    /// <summary>Every array the network expects, with its shape and a neutral value (zero weights, an identity batch norm, levels j - 1/2).</summary>
    public static IReadOnlyList<(string Name, NpzArray Array)> Template(Graph g)
    {
        var list = new List<(string, NpzArray)>();
        foreach (var layer in g.Layers)
        {
            if (WeightLayout.Of(layer, InputOf(g, layer)) is { } layout)
            {
                list.Add((layer.Name + ".weight", new NpzArray(WeightShape(layer, layout), new double[layout.Count])));
                list.Add((layer.Name + ".bias", new NpzArray([layout.OutChannels], new double[layout.OutChannels])));
            }
            else if (layer.Op is MultiThresholdOp t)
            {
                int c = layer.Output.Shape.C, n = t.LevelsMinusOne;
                list.Add((layer.Name + ".weight", new NpzArray([c], Enumerable.Repeat(1.0, c).ToArray())));
                list.Add((layer.Name + ".bias", new NpzArray([c], new double[c])));
                list.Add((layer.Name + ".running_mean", new NpzArray([c], new double[c])));
                list.Add((layer.Name + ".running_var", new NpzArray([c], Enumerable.Repeat(1.0 - Eps, c).ToArray())));
                list.Add((layer.Name + ".levels", new NpzArray([c, n], Enumerable.Range(0, c * n).Select(i => i % n + 0.5).ToArray())));
            }
        }
        return list;
    }

    /// <summary>
    /// The network with every Conv2d, Linear and MultiThreshold parameter taken from
    /// <paramref name="arrays"/>. Every missing or misshapen array, and every float bias that
    /// no threshold can absorb, is reported together in one <see cref="BnnHdlException"/>.
    /// </summary>
    public static Graph Import(Graph g, IReadOnlyDictionary<string, NpzArray> arrays, string shown)
    {
        var problems = new List<string>();
        NpzArray? Get(string name, int[] shape)
        {
            if (!arrays.TryGetValue(name, out var a)) { problems.Add($"'{name}' is missing (expected [{string.Join(", ", shape)}])"); return null; }
            if (!a.Shape.SequenceEqual(shape)) { problems.Add($"'{name}' is {a.ShapeText}, expected [{string.Join(", ", shape)}]"); return null; }
            if (Array.FindIndex(a.Values, v => !double.IsFinite(v)) is int bad and >= 0) { problems.Add($"'{name}' holds {a.Values[bad]} at index {bad}"); return null; }
            return a;
        }

        var offsets = new Dictionary<string, double[]>();
        var replacements = new Dictionary<string, LayerParams>();
        foreach (var layer in g.Layers)
        {
            var inputs = layer.Inputs.Select(g.Tensor).ToList();
            if (WeightLayout.Of(layer, InputOf(g, layer)) is { } layout)
            {
                var (weightType, hasBias) = layer.Op is Conv2dOp c ? (c.Weights, c.HasBias) : (((LinearOp)layer.Op).Weights, ((LinearOp)layer.Op).HasBias);
                var w = Get(layer.Name + ".weight", WeightShape(layer, layout));
                var b = Get(layer.Name + ".bias", [layout.OutChannels]);
                if (w is null || b is null) continue;
                sbyte low = weightType == WeightType.Bipolar ? (sbyte)-1 : (sbyte)0;
                var p = layer.Params with { Weights = EquatableArray<sbyte>.TakeOwnership(w.Values.Select(v => v >= 0 ? (sbyte)1 : low).ToArray()) };
                if (hasBias)
                {
                    var rounded = b.Values.Select(v => Math.Round(v, MidpointRounding.AwayFromZero)).ToArray();
                    if (Array.FindIndex(rounded, v => !(v >= int.MinValue && v <= int.MaxValue)) is int bad and >= 0)
                        problems.Add($"'{layer.Name}.bias' of channel {bad} is {b.Values[bad]}, beyond an int32 bias");
                    else p = p with { Bias = EquatableArray<int>.TakeOwnership(rounded.Select(v => (int)v).ToArray()) };
                }
                else if (b.Values.Any(v => v != 0))
                    offsets[layer.Output.Name] = b.Values;
                replacements[layer.Name] = p;
                continue;
            }
            if (layer.Op is AddOp add)
            {
                var (oa, ob) = (offsets.GetValueOrDefault(inputs[0].Name), offsets.GetValueOrDefault(inputs[1].Name));
                if (oa is not null || ob is not null)
                    offsets[layer.Output.Name] = Enumerable.Range(0, layer.Output.Shape.C)
                        .Select(ch => (oa?[ch] ?? 0) * (1L << add.ShiftA) + (ob?[ch] ?? 0) * (1L << add.ShiftB)).ToArray();
                continue;
            }
            if (layer.Op is MultiThresholdOp t)
            {
                int ch = layer.Output.Shape.C, n = t.LevelsMinusOne;
                var gamma = Get(layer.Name + ".weight", [ch]);
                var beta = Get(layer.Name + ".bias", [ch]);
                var mean = Get(layer.Name + ".running_mean", [ch]);
                var variance = Get(layer.Name + ".running_var", [ch]);
                var levels = Get(layer.Name + ".levels", [ch, n]);
                if (gamma is null || beta is null || mean is null || variance is null || levels is null) continue;
                var offset = offsets.GetValueOrDefault(inputs[0].Name);
                var thresholds = new int[ch * n];
                var direction = new sbyte[ch];
                for (int c = 0; c < ch; c++)
                {
                    var tau = levels.Values.AsSpan(c * n, n);
                    for (int j = 1; j < n; j++)
                        if (tau[j] < tau[j - 1]) { problems.Add($"'{layer.Name}.levels' of channel {c} are not ascending"); break; }
                    (direction[c], var cut) = Fold(gamma.Values[c], beta.Values[c], mean.Values[c] - (offset?[c] ?? 0), variance.Values[c], tau);
                    cut.CopyTo(thresholds, c * n);
                }
                replacements[layer.Name] = layer.Params with
                {
                    Thresholds = EquatableArray<int>.TakeOwnership(thresholds),
                    Direction = EquatableArray<sbyte>.TakeOwnership(direction),
                };
                continue;
            }
            // Any other reader of a tensor that still carries a float bias cannot absorb it.
            foreach (var x in inputs.Where(x => offsets.ContainsKey(x.Name)))
                problems.Add($"layer '{layer.Name}' ({layer.Op.OpName}) reads '{x.Name}', whose float bias no threshold absorbs: give it zero bias or an integer bias");
        }
        foreach (var output in g.Outputs.Where(offsets.ContainsKey))
            problems.Add($"output '{output}' carries a float bias no threshold absorbs: give it zero bias or an integer bias");
        if (problems.Count > 0) throw new BnnHdlException($"{shown}: {string.Join("; ", problems)}");
        return g.WithParams(replacements);
    }

    /// <summary>
    /// SPEC 5 for one channel: y = gamma (x - mean) / sqrt(var + eps) + beta &gt;= tau_j (in double
    /// precision, this expression order) as integer thresholds on s x: gamma &gt; 0: s = +1,
    /// t_j = the least x that reaches tau_j, ceil(mean + sigma (tau_j - beta) / gamma) up to the
    /// rounding of y, which decides exact ties and is checked at t_j - 1 and t_j; gamma &lt; 0:
    /// s = -1, t_j = -(the greatest x that reaches tau_j); gamma = 0: the constant level,
    /// INT32_MIN for levels beta reaches, INT32_MAX for the others.
    /// </summary>
    public static (sbyte Direction, int[] Thresholds) Fold(double gamma, double beta, double mean, double variance, ReadOnlySpan<double> tau)
    {
        double sigma = Math.Sqrt(variance + Eps);
        var t = new int[tau.Length];
        sbyte s = gamma < 0 ? (sbyte)-1 : (sbyte)1;
        for (int j = 0; j < tau.Length; j++)
        {
            double level = tau[j];
            if (gamma == 0) { t[j] = beta >= level ? int.MinValue : int.MaxValue; continue; }
            bool On(double x) => gamma * (x - mean) / sigma + beta >= level;
            double edge = mean + sigma * (level - beta) / gamma;
            if (Math.Abs(edge) > int.MaxValue / 2) { t[j] = Clamp(Math.Ceiling(s * edge)); continue; }
            if (s > 0)
            {
                double x = Math.Ceiling(edge);
                while (On(x - 1)) x--;
                while (!On(x)) x++;
                t[j] = (int)x;
            }
            else
            {
                double x = Math.Floor(edge);
                while (On(x + 1)) x++;
                while (!On(x)) x--;
                t[j] = (int)-x;
            }
        }
        return (s, t);
    }

    private static int Clamp(double v) => v <= int.MinValue ? int.MinValue : v >= int.MaxValue ? int.MaxValue : (int)v;

    private static TensorInfo InputOf(Graph g, Layer layer) => layer.Inputs.Count == 0 ? layer.Output : g.Tensor(layer.Inputs[0]);

    private static int[] WeightShape(Layer layer, WeightLayout layout) => layer.Op switch
    {
        LinearOp => [layout.OutChannels, layout.MaxInChannels],
        _ when layout.IsRagged => [(int)layout.Count],
        _ => [layout.OutChannels, layout.MaxInChannels, layout.KernelH, layout.KernelW],
    };
}
