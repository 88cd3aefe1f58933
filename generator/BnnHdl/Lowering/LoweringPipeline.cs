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
        // Reject what the engine cannot run (every problem at once); express every op as a dot
        // product (pools, upsampling, copies and act x act products in lane mode), Concats as views.
        var legal = Legalize.Run(graph, config);
        // Each threshold, residual Add, gate and cross-channel pool joins the dot product in front of it (write-back).
        var fused = FuseThresholds.Run(legal);
        // Liveness-based feature-memory regions, the input at word 0, Concat operands as views.
        var allocated = AllocateFeatureMemory.Run(fused, config);
        // Tiles (group or channel block x P-aligned output block), program words (parts) and tile words.
        var scheduled = Schedule.Run(allocated, config);
        // Widths, field layouts and the program, tile, weight and threshold memory words.
        return BuildImages.Run(scheduled);
    }
}
