using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Engine;

/// <summary>
/// One executed layer: its output as stored at the end of the layer, the network tensor it
/// must equal, and the cycles it took. A Concat view (no program word) is reported when its
/// last operand has been written, with <see cref="LayerId"/> null and no cycles.
/// </summary>
public sealed record SimulatedLayer(string Name, string Tensor, TensorData Output, long Cycles, int? LayerId = null);

/// <summary>
/// Where a layer starts: its first program word and the whole feature memory as the engine
/// leaves it when the layers before it are done (what a run started at that layer must load).
/// </summary>
public sealed record LayerStart(int LayerId, int ProgramWord, MemoryImage FeatureMemory);

/// <summary>The result of one simulated run.</summary>
public sealed record EngineRun(EquatableArray<SimulatedLayer> Layers, long TotalCycles, MemoryImage FinalFeatureMemory)
{
    public TensorData this[string tensor] =>
        Layers.FirstOrDefault(l => l.Tensor == tensor)?.Output ?? throw new KeyNotFoundException($"no engine layer writes '{tensor}'");
}

/// <summary>
/// Runs a lowered program on its memory images the way the RTL does (docs/engine.md):
/// it decodes the program and tile words with the program layout, reads weights and
/// thresholds from their images, walks the loop nest beat by beat (one FM word, or the pad
/// word, per beat; AND, popcount and shift into the accumulators) and writes every output
/// plane with its lane mask into feature memory. Addresses move by the descriptors' steps;
/// there is no multiplication in the loop. Cycles are counted as they happen, not from the
/// formula, so the test that they equal <see cref="CycleModel"/> means something.
/// </summary>
public static class EngineSimulator
{
    public static EngineRun Run(LoweredProgram program, TensorData input) => Run(program, program.FeatureImage(input));

    public static EngineRun Run(LoweredProgram program, MemoryImage featureMemory)
    {
        var machine = new EngineMachine(program, featureMemory);
        var layers = new List<SimulatedLayer>();
        long total = CycleModel.RunOverhead, partCycles = 0;
        var pm = program.Images.Program;
        for (int pc = 0; ; pc++)
        {
            if (pc >= pm.Depth) throw new InvalidOperationException($"program ran past its {pm.Depth} words without a last layer");
            var d = LayerDescriptor.FromFields(program.Layout.Program.Unpack(pm.Word(pc)));
            // A layer may run as several program words (parts); it ends with the part marked end_layer.
            long cycles = machine.RunLayer(d);
            total += cycles;
            partCycles += cycles;
            if (d.EndLayer == 1)
            {
                var meta = program.Layers[d.LayerId];
                layers.Add(new SimulatedLayer(meta.Source.Name, meta.Source.ExpectedTensor, machine.Load(meta.OutRegion), partCycles, d.LayerId));
                foreach (var view in program.Memory.Views.Where(v => v.AfterLayer == d.LayerId))
                    layers.Add(new SimulatedLayer(view.Name, view.Tensor, machine.Load(program.Memory.Region(view.Tensor)), 0));
                partCycles = 0;
            }
            if (d.Last == 1) break;
        }
        return new EngineRun(layers.ToEquatableArray(), total, machine.Snapshot());
    }

    /// <summary>
    /// The start of each of <paramref name="layerIds"/> (layers of the program, in run order),
    /// simulating only as far as the last of them.
    /// </summary>
    public static IReadOnlyList<LayerStart> StartsOf(LoweredProgram program, TensorData input, IReadOnlyList<int> layerIds)
    {
        var machine = new EngineMachine(program, program.FeatureImage(input));
        var starts = new List<LayerStart>();
        var pm = program.Images.Program;
        int previous = -1;
        for (int pc = 0; starts.Count < layerIds.Count; pc++)
        {
            if (pc >= pm.Depth) throw new InvalidOperationException($"program ran past its {pm.Depth} words before layer {layerIds[starts.Count]}");
            var d = LayerDescriptor.FromFields(program.Layout.Program.Unpack(pm.Word(pc)));
            if (d.LayerId != previous && d.LayerId == layerIds[starts.Count])
                starts.Add(new LayerStart(d.LayerId, pc, machine.Snapshot()));
            if (starts.Count == layerIds.Count) break;
            if (d.Last == 1) throw new InvalidOperationException($"the program ended before layer {layerIds[starts.Count]}");
            machine.RunLayer(d);
            previous = d.LayerId;
        }
        return starts;
    }
}
