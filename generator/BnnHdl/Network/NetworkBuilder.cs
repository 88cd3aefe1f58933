using System.Globalization;

namespace BnnHdl.Network;

/// <summary>
/// Describes a network in C#. Every method adds one layer, infers its output (shape, type,
/// bounds) and returns it as the handle for the next layers. Problems are collected, not
/// thrown one at a time: <see cref="Build"/> reports them all together, each naming its layer.
/// Parameters are optional; layers without them get seeded random ones later.
/// </summary>
public sealed class NetworkBuilder(string name)
{
    private readonly List<Layer> _layers = [];
    private readonly Dictionary<string, TensorInfo> _tensors = [];
    private readonly HashSet<string> _failed = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _outputs = [];
    private readonly Dictionary<string, int> _counters = [];

    public string Name { get; } = name;

    public TensorInfo Input(int channels, int height, int width, DataType? type = null, string name = "input") =>
        AddLayer(name, new InputOp(new Shape(channels, height, width), type ?? DataType.U(8)), []);

    public TensorInfo Input(Shape shape, DataType? type = null, string name = "input") =>
        Input(shape.C, shape.H, shape.W, type, name);

    /// <summary>
    /// Conv2d (SPEC 3.1). <paramref name="padValue"/> defaults to 0 for U(k) inputs and +1
    /// ("one-padding") for B inputs. <paramref name="groups"/> gives equal groups;
    /// <paramref name="unevenGroups"/> an explicit list instead.
    /// </summary>
    public TensorInfo Conv2d(TensorInfo x, int outChannels, Pair kernel, Pair? stride = null, Padding? pad = null,
        Pair? dilation = null, int groups = 1, IEnumerable<GroupRange>? unevenGroups = null,
        WeightType weights = WeightType.Bipolar, int? padValue = null, bool bias = false,
        LayerParams? parameters = null, string? name = null)
    {
        var op = new Conv2dOp(outChannels, kernel, stride ?? 1, pad ?? Padding.None, dilation ?? 1,
            unevenGroups is null ? Groups.Equal(groups) : Groups.Uneven(unevenGroups),
            weights, padValue ?? (x.Type.IsBipolar ? 1 : 0), bias);
        return AddLayer(name ?? NextName("conv"), op, [x], parameters);
    }

    /// <summary>Depthwise convolution: groups = input channels = output channels (times multiplier).</summary>
    public TensorInfo DepthwiseConv2d(TensorInfo x, Pair kernel, Pair? stride = null, Padding? pad = null,
        Pair? dilation = null, int multiplier = 1, WeightType weights = WeightType.Bipolar, int? padValue = null,
        bool bias = false, LayerParams? parameters = null, string? name = null) =>
        Conv2d(x, x.Shape.C * multiplier, kernel, stride, pad, dilation, groups: x.Shape.C, weights: weights,
            padValue: padValue, bias: bias, parameters: parameters, name: name ?? NextName("dwconv"));

    public TensorInfo Linear(TensorInfo x, int outFeatures, WeightType weights = WeightType.Bipolar, bool bias = false,
        LayerParams? parameters = null, string? name = null) =>
        AddLayer(name ?? NextName("fc"), new LinearOp(outFeatures, weights, bias), [x], parameters);

    /// <summary>
    /// Activation x activation product (SPEC 3.3) of the matrix views [C][H*W] of a and b,
    /// each optionally transposed. The N x M result is stored as N x 1 x M unless
    /// <paramref name="outHeight"/> x <paramref name="outWidth"/> reshapes it.
    /// </summary>
    public TensorInfo ActMatMul(TensorInfo a, TensorInfo b, bool transposeA = false, bool transposeB = false,
        int? outHeight = null, int? outWidth = null, string? name = null)
    {
        int m = transposeB ? b.Shape.C : b.Shape.Positions;
        var op = new ActMatMulOp(transposeA, transposeB, outHeight ?? 1, outWidth ?? m);
        return AddLayer(name ?? NextName("matmul"), op, [a, b]);
    }

    public TensorInfo MultiThreshold(TensorInfo x, DataType outType, LayerParams? parameters = null, string? name = null) =>
        AddLayer(name ?? NextName("thr"), new MultiThresholdOp(outType), [x], parameters);

    public TensorInfo Add(TensorInfo a, TensorInfo b, int shiftA = 0, int shiftB = 0, string? name = null) =>
        AddLayer(name ?? NextName("add"), new AddOp(shiftA, shiftB), [a, b]);

    /// <summary>Gating multiply: U(1) gate = AND, B gate = conditional negate.</summary>
    public TensorInfo Mul(TensorInfo gate, TensorInfo x, string? name = null) =>
        AddLayer(name ?? NextName("mul"), new MulOp(), [gate, x]);

    public TensorInfo MaxPool2d(TensorInfo x, Pair kernel, Pair? stride = null, Padding? pad = null, string? name = null) =>
        AddLayer(name ?? NextName("maxpool"), new Pool2dOp(true, kernel, stride ?? kernel, pad ?? Padding.None), [x]);

    public TensorInfo SumPool2d(TensorInfo x, Pair kernel, Pair? stride = null, Padding? pad = null, string? name = null) =>
        AddLayer(name ?? NextName("sumpool"), new Pool2dOp(false, kernel, stride ?? kernel, pad ?? Padding.None), [x]);

    public TensorInfo GlobalSumPool(TensorInfo x, string? name = null) =>
        AddLayer(name ?? NextName("gsumpool"), new GlobalSumPoolOp(), [x]);

    public TensorInfo AdaptiveSumPool(TensorInfo x, Pair bins, string? name = null) =>
        AddLayer(name ?? NextName("asumpool"), new AdaptiveSumPoolOp(bins), [x]);

    public TensorInfo CrossChannelMaxPool(TensorInfo x, int group, string? name = null) =>
        AddLayer(name ?? NextName("xcpool"), new CrossChannelMaxPoolOp(group), [x]);

    public TensorInfo UpsampleNearest(TensorInfo x, Pair factor, string? name = null) =>
        AddLayer(name ?? NextName("upsample"), new UpsampleNearestOp(factor), [x]);

    public TensorInfo Concat(IEnumerable<TensorInfo> xs, string? name = null) =>
        AddLayer(name ?? NextName("concat"), new ConcatOp(), xs.ToArray());

    public TensorInfo CoordChannels(TensorInfo x, int bits, string? name = null) =>
        AddLayer(name ?? NextName("coord"), new CoordChannelsOp(bits), [x]);

    /// <summary>Marks tensors as network outputs (in the order given).</summary>
    public void Output(params TensorInfo[] xs)
    {
        foreach (var x in xs)
        {
            if (_failed.Contains(x.Name)) continue; // already reported where it failed
            if (!_tensors.ContainsKey(x.Name)) _problems.Add($"output '{x.Name}' is not a layer of this network");
            else if (!_outputs.Contains(x.Name)) _outputs.Add(x.Name);
        }
    }

    /// <summary>The finished network, or one exception listing every problem found.</summary>
    public Graph Build()
    {
        var problems = new List<string>();
        if (!Graph.ValidName().IsMatch(Name))
            problems.Add($"the network name '{Name}' must use letters, digits, '_', '.' and '-' only (it names output folders)");
        problems.AddRange(_problems);
        if (_tensors.Count == 0) problems.Add("the network has no layers");
        if (_outputs.Count == 0 && _layers.Count > 0 && problems.Count == 0)
            problems.Add("the network has no outputs (call Output(...))");
        if (problems.Count > 0) throw new ValidationException($"network '{Name}'", problems);
        return new Graph(Name, _layers.ToEquatableArray(), _outputs.ToEquatableArray());
    }

    private string NextName(string prefix)
    {
        int n = _counters.GetValueOrDefault(prefix) + 1;
        _counters[prefix] = n;
        return prefix + n.ToString(CultureInfo.InvariantCulture);
    }

    private TensorInfo AddLayer(string name, Op op, TensorInfo[] inputs, LayerParams? parameters = null)
    {
        var p = parameters ?? LayerParams.None;
        var placeholder = new TensorInfo(name, new Shape(0, 0, 0), DataType.I(1), 0, 0);
        int before = _problems.Count;
        if (!Graph.ValidName().IsMatch(name))
            _problems.Add($"layer '{name}': names use letters, digits, '_', '.' and '-' only");
        if (_tensors.ContainsKey(name)) { _problems.Add($"layer '{name}' is defined twice"); return placeholder; }
        if (op is InputOp && _tensors.Count > 0) _problems.Add($"layer '{name}': a network has one input, added first");
        if (op is not InputOp && _tensors.Count == 0) _problems.Add($"layer '{name}': add the input before any other layer");
        foreach (var x in inputs)
            if (!_failed.Contains(x.Name) && (!_tensors.TryGetValue(x.Name, out var known) || known != x))
                _problems.Add($"layer '{name}' reads '{x.Name}', which is not a tensor of this network");

        // A layer fed by a failed layer is not checked again: its problem is already reported.
        if (_problems.Count > before || inputs.Any(x => _failed.Contains(x.Name)))
        {
            _failed.Add(name);
            _tensors[name] = placeholder;
            return placeholder;
        }
        var output = ShapeInference.Infer(name, op, inputs, p, _problems);
        if (output is null)
        {
            _failed.Add(name);
            _tensors[name] = placeholder;
            return placeholder;
        }
        _tensors[name] = output;
        _layers.Add(new Layer(name, op, inputs.Select(x => x.Name).ToEquatableArray(), p, output));
        return output;
    }
}
