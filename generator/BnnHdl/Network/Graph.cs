using System.Text;
using System.Text.RegularExpressions;

namespace BnnHdl.Network;

/// <summary>
/// A network: a typed layer graph, layers in topological order, the first one the input; every
/// layer's output tensor carries the layer's name. Immutable and structurally comparable.
/// </summary>
public sealed partial record Graph(string Name, EquatableArray<Layer> Layers, EquatableArray<string> Outputs)
{
    public Layer Input => Layers[0];

    public Layer this[string layerName] =>
        Layers.FirstOrDefault(l => l.Name == layerName)
        ?? throw new BnnHdlException($"network '{Name}' has no layer '{layerName}'");

    public TensorInfo Tensor(string name) => this[name].Output;

    /// <summary>Layers whose parameters are not all given yet (weights, bias, thresholds).</summary>
    public IEnumerable<Layer> LayersMissingParameters() => Layers.Where(NeedsParameters);

    public static bool NeedsParameters(Layer layer) => layer.Op switch
    {
        Conv2dOp c => layer.Params.Weights.Count == 0 || (c.HasBias && layer.Params.Bias.Count == 0),
        LinearOp l => layer.Params.Weights.Count == 0 || (l.HasBias && layer.Params.Bias.Count == 0),
        MultiThresholdOp => layer.Params.Thresholds.Count == 0,
        _ => false,
    };

    /// <summary>
    /// Checks the whole graph (names, references, every layer's inference against its stored
    /// output) and throws one <see cref="ValidationException"/> listing every problem.
    /// </summary>
    public Graph Validate()
    {
        var problems = new List<string>();
        var known = new Dictionary<string, TensorInfo>();
        if (!ValidName().IsMatch(Name))
            problems.Add($"the network name '{Name}' must use letters, digits, '_', '.' and '-' only (it names output folders)");
        if (Layers.Count == 0 || Layers[0].Op is not InputOp) problems.Add("the first layer must be the input");
        foreach (var layer in Layers)
        {
            if (!ValidName().IsMatch(layer.Name))
                problems.Add($"layer '{layer.Name}': names use letters, digits, '_', '.' and '-' only");
            if (known.ContainsKey(layer.Name)) problems.Add($"layer '{layer.Name}' is defined twice");
            if (layer.Op is InputOp && layer != Layers[0]) problems.Add($"layer '{layer.Name}': only the first layer may be an input");
            var missing = layer.Inputs.Where(i => !known.ContainsKey(i)).ToList();
            foreach (var m in missing) problems.Add($"layer '{layer.Name}' reads '{m}', which is not defined before it");
            if (missing.Count > 0) continue;
            var inferred = ShapeInference.Infer(layer.Name, layer.Op, layer.Inputs.Select(i => known[i]).ToList(), layer.Params, problems);
            if (inferred is not null && inferred != layer.Output)
                problems.Add($"layer '{layer.Name}': stored output {layer.Output} differs from the inferred {inferred}");
            known[layer.Name] = layer.Output;
        }
        if (Outputs.Count == 0) problems.Add("the network has no outputs");
        foreach (var o in Outputs.Where(o => !known.ContainsKey(o))) problems.Add($"output '{o}' is not a layer");
        if (problems.Count > 0) throw new ValidationException($"network '{Name}'", problems);
        return this;
    }

    /// <summary>
    /// The same network with some layers' parameters replaced. Every output is inferred
    /// again, because bias values move accumulator bounds and bounds flow downstream.
    /// Throws one <see cref="ValidationException"/> if any parameter does not fit.
    /// </summary>
    public Graph WithParams(IReadOnlyDictionary<string, LayerParams> replacements)
    {
        var problems = new List<string>();
        foreach (var name in replacements.Keys.Where(n => !Layers.Any(l => l.Name == n)))
            problems.Add($"parameters given for '{name}', which is not a layer");
        var known = new Dictionary<string, TensorInfo>();
        var layers = new List<Layer>(Layers.Count);
        foreach (var layer in Layers)
        {
            var p = replacements.GetValueOrDefault(layer.Name, layer.Params);
            var output = ShapeInference.Infer(layer.Name, layer.Op, layer.Inputs.Select(i => known[i]).ToList(), p, problems)
                         ?? layer.Output;
            known[layer.Name] = output;
            layers.Add(layer with { Params = p, Output = output });
        }
        if (problems.Count > 0) throw new ValidationException($"network '{Name}'", problems);
        return this with { Layers = layers.ToEquatableArray() };
    }

    /// <summary>Stable text dump: one line per layer, then the outputs.</summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append("network ").Append(Name).Append('\n');
        foreach (var layer in Layers) sb.Append("  ").Append(layer.Dump()).Append('\n');
        sb.Append("  outputs: ").Append(string.Join(", ", Outputs)).Append('\n');
        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    internal static partial Regex ValidName();
}
