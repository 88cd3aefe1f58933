using System.Globalization;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// First lowering pass: checks that the engine can run every layer and rewrites the graph into
/// its vocabulary (<see cref="LegalGraph"/>): dot products (Conv2d and Linear as they are;
/// pooling, upsampling and the copy passes of standalone elementwise ops and thresholds as
/// lane-mode dot products of ones, <see cref="DotForms"/>), each optionally followed by a
/// residual Add or a gating Mul whose other operand is already in feature memory, then by a
/// MultiThreshold, then by a CrossChannelMaxPool(G) (pooled at write-back; G divides P and
/// never straddles a convolution group). Every problem is collected and reported together.
/// </summary>
public static class Legalize
{
    public static LegalGraph Run(Graph graph, EngineConfig config) => Run(graph, config, requireParameters: true);

    /// <summary>
    /// The checks of <see cref="Run"/> that do not need parameters, so a command can refuse a
    /// network the engine cannot run before it spends time calibrating thresholds.
    /// </summary>
    public static void Check(Graph graph, EngineConfig config) => Run(graph, config, requireParameters: false);

    private static LegalGraph Run(Graph graph, EngineConfig config, bool requireParameters)
    {
        var problems = new List<string>();
        var consumers = graph.Layers.SelectMany(l => l.Inputs).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var nodes = new List<LegalNode>();
        var index = graph.Layers.Select((l, k) => (l.Name, k)).ToDictionary(e => e.Name, e => e.k);
        // The dot product each layer became (raw accumulator out), for the ops that fuse behind one.
        var dots = new Dictionary<string, DotNode>();
        // Tensors already written into a Concat's view.
        var inViews = new HashSet<string>();

        foreach (var layer in graph.Layers.Skip(1))
        {
            string where = $"layer '{layer.Name}' ({layer.Op.OpName})";
            if (layer.Op is ActMatMulOp matmul)
            {
                var (a, bm) = (graph.Tensor(layer.Inputs[0]), graph.Tensor(layer.Inputs[1]));
                var rows = a;
                if (matmul.TransposeA)
                {
                    // A is stored channel k, position n: transpose it by an identity product first.
                    int n = a.Shape.Positions;
                    var eye = Identity(layer.Name + ".eye", n);
                    nodes.Add(eye);
                    var transposed = new TensorInfo(layer.Name + ".t", new Shape(n, 1, a.Shape.C), a.Type, a.Min, a.Max);
                    Emit(DotForms.Product(transposed.Name, eye.Out, new Broadcast(a, PerTap: false, ReadsBits: true, Transposes: true), transposed));
                    rows = transposed;
                }
                Emit(DotForms.Product(layer.Name, rows, new Broadcast(bm, PerTap: !matmul.TransposeB), layer.Output));
                continue;
            }
            if (layer.Op is ConcatOp or CoordChannelsOp)
            {
                var parts = layer.Inputs.Select(graph.Tensor).ToList();
                if (layer.Op is CoordChannelsOp coordOp)
                {
                    var xy = Coordinates(layer.Name + ".xy", parts[0].Shape, coordOp.Bits);
                    nodes.Add(xy);
                    parts.Add(xy.Out);
                }
                // Each operand is written into the view by its producer, or copied there.
                var operands = parts.Select((t, k) => Writable(t) ? Claim(t) : Copy(layer.Name, k, t)).ToEquatableArray();
                nodes.Add(new ConcatNode(layer.Name, layer.Op.OpName, operands, layer.Output));
                continue;
            }
            if (requireParameters && Graph.NeedsParameters(layer))
            {
                problems.Add($"{where}: parameters are missing (load weights or fill them with a seed)");
                continue;
            }
            var input = graph.Tensor(layer.Inputs[0]);
            switch (layer.Op)
            {
                case CrossChannelMaxPoolOp pool:
                {
                    var threshold = graph[layer.Inputs[0]];
                    if (threshold.Op is MultiThresholdOp && FeedsOnlyNext(threshold)
                        && DotBehind(graph[threshold.Inputs[0]]) is { } dot)
                    {
                        problems.AddRange(PoolProblems(where, pool.Group, graph, dot, config));
                        nodes.Add(new PoolNode(layer.Name, input, layer.Output, pool.Group));
                        continue;
                    }
                    // A stored tensor: copy it into the accumulators (B as its bit), requantize it
                    // to itself (thresholds 1 .. n, so q is the value) and pool the PEs' q at write-back.
                    problems.AddRange(PoolProblems(where, pool.Group, graph, null, config));
                    var copy = DotForms.Copy(layer.Name, "CrossChannelMaxPool", input, readsBits: true);
                    Emit(copy);
                    var levels = input.Type.IsBipolar ? 1 : (int)input.Type.Max;
                    var same = input with { Name = layer.Name + ".q" };
                    nodes.Add(new ThresholdNode(same.Name, copy.Out, same,
                        Enumerable.Range(0, input.Shape.C).SelectMany(_ => Enumerable.Range(1, levels)).ToEquatableArray(),
                        Enumerable.Repeat((sbyte)1, input.Shape.C).ToEquatableArray()));
                    nodes.Add(new PoolNode(layer.Name, same, layer.Output, pool.Group));
                    continue;
                }
                case AddOp add:
                {
                    int acc = AccOperand(layer);
                    if (acc >= 0)
                        nodes.Add(new AddNode(layer.Name, graph.Tensor(layer.Inputs[acc]), layer.Output, graph.Tensor(layer.Inputs[1 - acc]),
                            acc == 0 ? add.ShiftA : add.ShiftB, acc == 0 ? add.ShiftB : add.ShiftA));
                    else
                    {
                        // Neither operand can take it at write-back: copy a into the accumulators, add b there.
                        var copy = DotForms.Copy(layer.Name, "Add", input);
                        Emit(copy);
                        nodes.Add(new AddNode(layer.Name, copy.Out, layer.Output, graph.Tensor(layer.Inputs[1]), add.ShiftA, add.ShiftB));
                    }
                    continue;
                }
                case MulOp:
                {
                    var gate = graph.Tensor(layer.Inputs[0]);
                    var x = graph[layer.Inputs[1]];
                    if (CanAccumulate(x) && index[gate.Name] < index[x.Name])
                        nodes.Add(new GateNode(layer.Name, x.Output, layer.Output, gate));
                    else
                    {
                        var copy = DotForms.Copy(layer.Name, "Mul", x.Output);
                        Emit(copy);
                        nodes.Add(new GateNode(layer.Name, copy.Out, layer.Output, gate));
                    }
                    continue;
                }
                case MultiThresholdOp:
                {
                    if (TooWide(layer.Output.Type, config))
                        problems.Add($"{where}: output {layer.Output.Type} has more bits than the engine's maximum of {Bits(config)}");
                    var source = graph[layer.Inputs[0]];
                    var fromIn = input;
                    if (!(FeedsOnlyNext(source) && ProducesAccumulator(source)))
                    {
                        // A stored tensor: copy it into the accumulators and compare there.
                        var copy = DotForms.Copy(layer.Name, "MultiThreshold", input);
                        Emit(copy);
                        fromIn = copy.Out;
                    }
                    nodes.Add(new ThresholdNode(layer.Name, fromIn, layer.Output, layer.Params.Thresholds, layer.Params.Direction));
                    continue;
                }
            }
            if (TooWide(input.Type, config))
                problems.Add($"{where}: input {input.Type} has more bits than the engine's maximum of {Bits(config)}");
            if (layer.Op is Conv2dOp first && layer.Inputs[0] == graph.Input.Output.Name && UnfoldsBetter(first, input, config))
            {
                // The host preloads the input's windows, so the convolution fills the lanes.
                int taps = first.Kernel.Y * first.Kernel.X;
                var tensor = TensorInfo.Of(layer.Name + ".windows", new Shape(input.Shape.C * taps, layer.Output.Shape.H, layer.Output.Shape.W), input.Type);
                var dot = DotForms.OverWindows(layer, tensor);
                nodes.Add(new ConstantNode(tensor.Name, tensor, EquatableArray<long>.Empty, dot.Windows));
                Emit(dot);
                continue;
            }
            Emit(layer.Op switch
            {
                Pool2dOp pool => DotForms.Pool(layer, pool, input),
                GlobalSumPoolOp => DotForms.GlobalSum(layer, input),
                AdaptiveSumPoolOp adaptive => DotForms.AdaptiveSum(layer, adaptive, input),
                UpsampleNearestOp up => DotForms.Upsample(layer, up, input),
                _ => DotForms.Convolution(layer, input),
            });
        }
        if (problems.Count > 0) throw new ValidationException($"network '{graph.Name}'", problems);
        return new LegalGraph(graph.Name, graph.Input.Output, nodes.ToEquatableArray(), graph.Outputs);

        void Emit(DotNode dot)
        {
            nodes.Add(dot);
            dots[dot.Name] = dot;
        }

        // A tensor an engine layer stores (not the preloaded input, a constant or another
        // view) and not yet placed in a view (a tensor concatenated twice is written in place
        // once): its producer can write it straight into the view.
        bool Writable(TensorInfo t) =>
            graph.Layers.FirstOrDefault(l => l.Output.Name == t.Name) is { } producer
            && producer.Op is not (InputOp or ConcatOp or CoordChannelsOp)
            && !inViews.Contains(t.Name);

        TensorInfo Claim(TensorInfo t)
        {
            inViews.Add(t.Name);
            return t;
        }

        TensorInfo Copy(string concat, int k, TensorInfo t)
        {
            var copy = DotForms.Copy(string.Create(CultureInfo.InvariantCulture, $"{concat}.copy{k}"), "Concat", t,
                t with { Name = string.Create(CultureInfo.InvariantCulture, $"{concat}.copy{k}") }, readsBits: true);
            Emit(copy);
            return copy.Out;
        }

        // A layer can be fused with the one after it only when nothing else sees its output.
        bool FeedsOnlyNext(Layer l) => consumers.GetValueOrDefault(l.Name) == 1 && !graph.Outputs.Contains(l.Name);

        // Layers whose accumulator (or sum) a threshold can compare at write-back: every dot
        // product except those that read a B input as its bits (their accumulator is the bit,
        // not the value), and the Adds and Muls fused behind one.
        bool ProducesAccumulator(Layer l) => l.Op is AddOp or MulOp || RawDot(l) is not null;

        // A dot product an Add or Mul can ride on: one program word, feeding only the elementwise op.
        bool CanAccumulate(Layer l) => FeedsOnlyNext(l) && RawDot(l) is { Parts.Count: 0 };

        // The dot product whose raw accumulator is this layer's output (not a copy pass the
        // layer runs before its own operation), unless it reads a B input as bits.
        DotNode? RawDot(Layer l) =>
            dots.TryGetValue(l.Name, out var d) && d.Out.Name == l.Output.Name && !(d.ReadsBits && d.In.Type.IsBipolar) ? d : null;

        // The operand of an Add that is its accumulator: a dot product feeding only the Add and
        // computed after the other operand (the later one when both qualify), or -1.
        int AccOperand(Layer add)
        {
            int best = -1;
            for (int k = 0; k < 2; k++)
            {
                var operand = graph[add.Inputs[k]];
                if (CanAccumulate(operand) && index[add.Inputs[1 - k]] < index[operand.Name]
                    && (best < 0 || index[operand.Name] > index[add.Inputs[best]]))
                    best = k;
            }
            return best;
        }

        // The layer whose dot product a threshold's source is (for the pooling checks): the
        // source itself, or the producer of a fused Add's or Mul's accumulator (the Add or
        // Mul itself when that is a copy of a stored tensor).
        Layer? DotBehind(Layer source)
        {
            if (!FeedsOnlyNext(source)) return null;
            if (source.Op is not (AddOp or MulOp)) return RawDot(source) is null ? null : source;
            var fused = nodes.Last(n => n.Name == source.Name);
            return graph.Layers.FirstOrDefault(l => l.Output.Name == fused.In.Name && RawDot(l) is not null) ?? source;
        }
    }

    /// <summary>
    /// The write-back pools groups of G adjacent PEs of one tile: G must be 2 or 4 (the
    /// comparator tree; 1 pools nothing), divide P (tiles are P-aligned, so every tile starts
    /// at a multiple of G) and not straddle a convolution group (a tile ends at its group's end).
    /// </summary>
    private static IEnumerable<string> PoolProblems(string where, int g, Graph graph, Layer? dot, EngineConfig config)
    {
        var inv = CultureInfo.InvariantCulture;
        if (g is not (1 or 2 or 4))
        {
            yield return string.Create(inv, $"{where}: group G={g} is not supported by the engine (it pools 2 or 4 channels)");
            yield break;
        }
        if (config.P % g != 0)
            yield return string.Create(inv, $"{where}: group G={g} does not divide P={config.P}, the engine's output channels per tile");
        if (dot?.Op is Conv2dOp conv)
        {
            int ic = graph.Tensor(dot.Inputs[0]).Shape.C;
            if (conv.Groups.Resolve(ic, conv.OutChannels).Any(r => r.OutStart % g != 0 || r.OutEnd % g != 0))
                yield return string.Create(inv, $"{where}: group G={g} straddles a convolution group of '{dot.Name}' (its output channel ranges must start and end at multiples of G)");
        }
    }

    /// <summary>The two coordinate channels of SPEC 3.7 (x then y) for a map of this size, as a constant.</summary>
    private static ConstantNode Coordinates(string name, Shape shape, int bits)
    {
        var values = new long[2 * shape.Positions];
        for (int y = 0; y < shape.H; y++)
            for (int x = 0; x < shape.W; x++)
            {
                values[y * shape.W + x] = Reference.ShapeOps.Coordinate(x, shape.W, bits);
                values[shape.Positions + y * shape.W + x] = Reference.ShapeOps.Coordinate(y, shape.H, bits);
            }
        return new ConstantNode(name, TensorInfo.Of(name, new Shape(2, shape.H, shape.W), DataType.U(bits)), values.ToEquatableArray());
    }

    /// <summary>The identity E[n][j] = (n == j) as a U1 tensor of n channels at 1 x n positions.</summary>
    private static ConstantNode Identity(string name, int n)
    {
        var values = new long[(long)n * n];
        for (int i = 0; i < n; i++) values[(long)i * n + i] = 1;
        return new ConstantNode(name, TensorInfo.Of(name, new Shape(n, 1, n), DataType.U(1)), values.ToEquatableArray());
    }

    /// <summary>
    /// A convolution of the network input (one group) runs over its preloaded windows when
    /// that takes fewer lanes per output position: C KH KW inputs in one reduction instead of
    /// KH KW taps of C, each rounded up to the runs of lanes a beat fills (segments).
    /// </summary>
    private static bool UnfoldsBetter(Conv2dOp conv, TensorInfo input, EngineConfig config)
    {
        int c = input.Shape.C, taps = conv.Kernel.Y * conv.Kernel.X, planes = input.Type.StoredBits;
        bool oneGroup = conv.Groups.Resolve(c, conv.OutChannels) is [{ InStart: 0 } g] && g.InEnd == c;
        if (!oneGroup || taps == 1) return false;
        // The windows are read as a 1 x 1 (stride 1); the convolution's positions read inputs sx apart.
        long folded = (long)taps * Segmentation.LanesPerPosition(c, planes * conv.Stride.X, config);
        long unfolded = Segmentation.LanesPerPosition(c * taps, planes, config);
        return unfolded < folded;
    }

    private static bool TooWide(DataType type, EngineConfig config) => type.IsUnsigned && type.Bits > config.MaxActivationBits;

    private static string Bits(EngineConfig config) =>
        config.MaxActivationBits.ToString(CultureInfo.InvariantCulture) + " activation bits";
}
