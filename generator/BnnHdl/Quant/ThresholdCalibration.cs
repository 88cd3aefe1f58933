using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Quant;

/// <summary>
/// Chooses thresholds for every MultiThreshold layer that has none, from the values that
/// actually reach it when the network runs on a given input. Random thresholds over the
/// accumulator's full range would leave most layers constant or saturated, and a golden set
/// whose layers are constant tests nothing; thresholds cut from the real distribution make
/// every output level occur (see <see cref="LevelThresholds"/>).
/// </summary>
public static class ThresholdCalibration
{
    /// <summary>
    /// Runs the network layer by layer (up to the last layer that needs thresholds) and
    /// calibrates each MultiThreshold on its input before evaluating it, so later layers see
    /// calibrated activations. <paramref name="progress"/> hears each layer name as it starts.
    /// </summary>
    public static Graph Calibrate(Graph g, TensorData input, long seed, IProgress<string>? progress = null)
    {
        int last = LastIndex(g.Layers, l => l.Op is MultiThresholdOp && l.Params.Thresholds.Count == 0);
        if (last < 0) return g;
        CheckInput(g, input);

        // Only tensors read by a layer up to `last` are computed; each is dropped after its last reader.
        var lastReader = new Dictionary<string, int>();
        for (int i = 0; i <= last; i++)
            foreach (var name in g.Layers[i].Inputs) lastReader[name] = i;

        var values = new Dictionary<string, TensorData>();
        var replacements = new Dictionary<string, LayerParams>();
        for (int i = 0; i <= last; i++)
        {
            var layer = g.Layers[i];
            if (!lastReader.ContainsKey(layer.Name) && !NeedsCalibration(layer)) continue;
            progress?.Report(layer.Name);
            if (layer.Op is InputOp)
            {
                values[layer.Name] = input;
                continue;
            }
            if (Graph.NeedsParameters(layer) && !NeedsCalibration(layer))
                throw new BnnHdlException($"layer '{layer.Name}' ({layer.Op.OpName}) has no weights yet; fill weights before calibrating thresholds");

            var inputs = layer.Inputs.Select(n => values[n]).ToArray();
            if (layer.Op is MultiThresholdOp mt && NeedsCalibration(layer))
            {
                var source = g.Tensor(layer.Inputs[0]);
                var p = LevelThresholds.Choose(layer.Name, mt.LevelsMinusOne, inputs[0], source.Min, source.Max, seed);
                replacements[layer.Name] = p;
                layer = layer with { Params = p };
            }
            if (lastReader.ContainsKey(layer.Name)) values[layer.Name] = ReferenceModel.Evaluate(layer, inputs);
            foreach (var name in layer.Inputs)
                if (lastReader[name] == i) values.Remove(name);
        }
        return g.WithParams(replacements);
    }

    private static bool NeedsCalibration(Layer layer) =>
        layer.Op is MultiThresholdOp && layer.Params.Thresholds.Count == 0;

    private static int LastIndex(IReadOnlyList<Layer> layers, Func<Layer, bool> predicate)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
            if (predicate(layers[i])) return i;
        return -1;
    }

    private static void CheckInput(Graph g, TensorData input)
    {
        var expected = g.Input.Output;
        if (input.Shape != expected.Shape || input.Type != expected.Type)
            throw new BnnHdlException(
                $"the input tensor is {input.Shape} {input.Type}, but network '{g.Name}' takes {expected.Shape} {expected.Type}");
    }
}
