using BnnHdl.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Cosim;

/// <summary>One layer of an RTL run, decoded: its output tensor as the RTL stored it, its measured and predicted cycles.</summary>
public sealed record CosimLayerOutput(int Id, string Name, string Tensor, TensorData Output, long Cycles, long PredictedCycles);

/// <summary>A decoded RTL run, with the cycle model's prediction beside every count (and the seams of a split run).</summary>
public sealed record CosimReport(
    SimulatorKind Simulator, EquatableArray<CosimLayerOutput> Layers, long RunCycles, long PredictedRunCycles, bool Built,
    EquatableArray<CosimSeam> Seams = default)
{
    public TensorData this[string tensor] =>
        Layers.FirstOrDefault(l => l.Tensor == tensor)?.Output ?? throw new KeyNotFoundException($"no engine layer writes '{tensor}'");
}

/// <summary>
/// Co-simulation of a lowered program: emit the RTL with the input's feature image, run it
/// in a simulator, and decode every layer's dumped output region back into a tensor
/// (<see cref="FeatureLayout.Load"/>) for comparison with the reference model.
/// </summary>
public static class Cosimulation
{
    public static CosimReport Run(LoweredProgram program, TensorData input, SimulatorKind kind, string rtlDir, CosimOptions? options = null)
    {
        options ??= new CosimOptions();
        RtlEmitter.Write(program, input, rtlDir);
        if (options.Parts == 1) return Decode(program, RtlSimulator.Run(rtlDir, kind, options));
        var split = SplitRun.Run(program, input, kind, rtlDir, options);
        return Decode(program, split.Run, split.Seams);
    }

    public static CosimReport Decode(LoweredProgram program, CosimResult result, EquatableArray<CosimSeam> seams = default)
    {
        var predicted = CycleModel.Predict(program);
        int s = program.Config.S;
        int per = WideBits.Chunks(s);
        var layers = new List<CosimLayerOutput>();
        foreach (var layer in result.Layers)
        {
            if (layer.Id < 0 || layer.Id >= program.Layers.Count)
                throw new BnnHdlException($"the RTL reported layer {layer.Id}, the program has {program.Layers.Count}");
            var scheduled = program.Layers[layer.Id];
            var region = scheduled.OutRegion;
            if (layer.Words.Count != region.Words)
                throw new BnnHdlException($"the RTL dumped {layer.Words.Count} words of layer {layer.Id} ('{scheduled.Source.Name}'), its region has {region.Words}");
            var fm = new ulong[region.Limit * per];
            for (int w = 0; w < region.Words; w++)
                ParseHex(layer.Words[w], s, fm.AsSpan((region.Base + w) * per, per));
            layers.Add(new CosimLayerOutput(layer.Id, scheduled.Source.Name, scheduled.Source.ExpectedTensor,
                FeatureLayout.Load(fm, region, s), layer.Cycles, predicted.Layers[layer.Id]));
            // A Concat completed by this layer: its region is the same words (this layer wrote a view of it).
            foreach (var view in program.Memory.Views.Where(v => v.AfterLayer == layer.Id))
                layers.Add(new CosimLayerOutput(layer.Id, view.Name, view.Tensor,
                    FeatureLayout.Load(fm, program.Memory.Region(view.Tensor), s), 0, 0));
        }
        return new CosimReport(result.Simulator, layers.ToEquatableArray(), result.RunCycles, predicted.Total, result.Built, seams);
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>One $readmemh-style word (most significant digit first) into its chunks.</summary>
    private static void ParseHex(string hex, int bits, Span<ulong> word)
    {
        if (hex.Length != (bits + 3) / 4) throw new BnnHdlException($"the RTL dumped '{hex}', not a {bits}-bit hex word");
        for (int d = 0; d < hex.Length; d++)
        {
            int nibble = HexDigit(hex[hex.Length - 1 - d]);
            if (nibble < 0) throw new BnnHdlException($"the RTL dumped '{hex}': not a hex word (unknown or undriven bits?)");
            int lsb = d * 4;
            WideBits.Set(word, lsb, Math.Min(4, bits - lsb), (ulong)nibble);
        }
    }
}
