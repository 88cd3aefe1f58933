using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Third lowering pass: gives every tensor (the input and each layer's output) a region of
/// feature memory. Two tensors share words only if they are never live at the same step;
/// a layer's output is live while it runs, so it never overlaps its own input. Regions are
/// placed first-fit in production order, so the input lands at word 0 and the result is
/// deterministic. The peak is the memory depth the engine needs.
/// </summary>
public static class AllocateFeatureMemory
{
    public static AllocatedGraph Run(FusedGraph graph, EngineConfig config)
    {
        // Step 0 writes the input; layer i is step i + 1.
        var born = new Dictionary<string, int> { [graph.Input.Name] = 0 };
        for (int i = 0; i < graph.Layers.Count; i++) born[graph.Layers[i].Out.Name] = i + 1;
        var dies = new Dictionary<string, int>(born);
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            dies[graph.Layers[i].In.Name] = Math.Max(dies[graph.Layers[i].In.Name], i + 1);
            // A fused residual Add or gate reads its stored operand at this layer's write-back.
            if (graph.Layers[i].Operand is { } operand) dies[operand.Name] = Math.Max(dies[operand.Name], i + 1);
        }
        foreach (var o in graph.Outputs) dies[o] = FmRegion.End;

        var tensors = new List<TensorInfo> { graph.Input };
        tensors.AddRange(graph.Layers.Select(l => l.Out));
        var placed = new List<FmRegion>();
        foreach (var t in tensors)
        {
            var region = new FmRegion(t.Name, t.Type, t.Shape, 0, (t.Shape.C + config.S - 1) / config.S,
                t.Type.StoredBits, born[t.Name], dies[t.Name]);
            placed.Add(region with { Base = FirstFit(region, placed) });
        }
        return new AllocatedGraph(graph, placed.ToEquatableArray(), placed.Max(r => r.Limit));
    }

    /// <summary>The lowest word at which the region overlaps no region it is live with.</summary>
    private static int FirstFit(FmRegion region, List<FmRegion> placed)
    {
        var conflicts = placed.Where(region.LiveTogether).ToList();
        var candidates = conflicts.Select(r => r.Limit).Prepend(0).Distinct().Order();
        return candidates.First(start => conflicts.All(r => start + region.Words <= r.Base || r.Limit <= start));
    }
}
