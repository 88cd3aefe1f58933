using BnnHdl.Network;

namespace BnnHdl.Reports;

/// <summary>One row of the network description: a layer, its tensors and its cost.</summary>
public sealed record LayerSummary(
    string Name, string Op, EquatableArray<string> Inputs, EquatableArray<Shape> InputShapes,
    Shape OutputShape, DataType OutputType, long Macs, long Params);

/// <summary>Totals over all layers (the input layer included in <c>Layers</c>).</summary>
public sealed record SummaryTotals(int Layers, long Macs, long Params);

/// <summary>
/// A read-only description of a network (what <c>bnn-hdl describe</c> prints): every layer
/// in graph order with its shapes, output type, MACs and parameters (<see cref="LayerCounts"/>),
/// and the totals. Formatted by <see cref="SummaryText"/> and <see cref="SummaryJson"/>.
/// </summary>
public sealed record NetworkSummary(string Network, Shape InputShape, EquatableArray<LayerSummary> Layers, SummaryTotals Totals)
{
    public static NetworkSummary Of(Graph graph)
    {
        var rows = new List<LayerSummary>(graph.Layers.Count);
        var tensors = new Dictionary<string, TensorInfo>();
        foreach (var layer in graph.Layers)
        {
            var inputs = layer.Inputs.Select(i => tensors[i]).ToArray();
            rows.Add(new LayerSummary(layer.Name, layer.Op.OpName, layer.Inputs,
                inputs.Select(t => t.Shape).ToEquatableArray(), layer.Output.Shape, layer.Output.Type,
                LayerCounts.Macs(layer, inputs), LayerCounts.Params(layer, inputs)));
            tensors[layer.Name] = layer.Output;
        }
        var totals = new SummaryTotals(rows.Count, rows.Sum(r => r.Macs), rows.Sum(r => r.Params));
        return new NetworkSummary(graph.Name, graph.Input.Output.Shape, rows.ToEquatableArray(), totals);
    }
}
