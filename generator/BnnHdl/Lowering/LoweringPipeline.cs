using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// The lowering: a quantized network with all parameters becomes an engine program and its
/// memory images. Each pass is a pure function from one immutable model to the next.
/// </summary>
public static class LoweringPipeline
{
    public static LoweredProgram Lower(Graph graph, EngineConfig config)
    {
        // Reject what engine v1 cannot run (every problem at once); normalize Linear to 1x1
        // and groups to explicit ranges.
        var legal = Legalize.Run(graph, config);
        // Each MultiThreshold joins the Conv2d / Linear in front of it (compared at write-back).
        var fused = FuseThresholds.Run(legal);
        // Liveness-based feature-memory regions, the input at word 0.
        var allocated = AllocateFeatureMemory.Run(fused, config);
        // Tiles (group x P-aligned output block) and the layer / tile descriptors.
        var scheduled = Schedule.Run(allocated, config);
        // Widths, field layouts and the program, tile, weight and threshold memory words.
        return BuildImages.Run(scheduled);
    }
}
