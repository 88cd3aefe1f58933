using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Lowering;

/// <summary>The read-only memories of the engine, as built by <see cref="BuildImages"/>.</summary>
public sealed record EngineImages(MemoryImage Program, MemoryImage Tiles, MemoryImage Weights, MemoryImage Thresholds)
{
    public IEnumerable<MemoryImage> All => [Program, Tiles, Weights, Thresholds];
}

/// <summary>
/// The result of lowering (<see cref="LoweringPipeline.Lower"/>): everything the engine
/// needs except the input, which becomes the feature-memory image with
/// <see cref="FeatureImage"/>. <see cref="Layers"/> keeps the decisions behind the
/// images (regions, descriptors, tiles) for the simulator, the reports and the emitter.
/// </summary>
public sealed record LoweredProgram(
    EngineConfig Config, EngineDimensions Dimensions, ProgramLayout Layout, AllocatedGraph Memory,
    EquatableArray<ScheduledLayer> Layers, EngineImages Images)
{
    public string Name => Memory.Graph.Name;
    public FmRegion InputRegion => Memory.InputRegion;

    /// <summary>
    /// What an engine layer reporting <paramref name="tensor"/> must have stored: the reference
    /// model's tensor, or a constant the lowering preloads (coordinate channels, the input's windows).
    /// </summary>
    public TensorData Expected(ReferenceRun reference, string tensor)
    {
        if (Memory.Graph.Constants.FirstOrDefault(c => c.Out.Name == tensor) is { } constant)
            return constant.Data(reference[Memory.Graph.Input.Name]);
        if (Layers.FirstOrDefault(l => l.Source.Out.Name == tensor)?.Source.TransposeOf is { } source)
        {
            // channel n, position k of the transpose = channel k, position n of its source.
            var x = Expected(reference, source.Name);
            var shape = new Shape(x.Shape.Positions, 1, x.Shape.C);
            var values = new long[shape.Size];
            for (int n = 0; n < shape.C; n++)
                for (int k = 0; k < shape.W; k++) values[(long)n * shape.W + k] = x.Values[k * shape.C + n];
            return TensorData.Create(shape, x.Type, values);
        }
        return reference[tensor];
    }

    /// <summary>The initial feature memory (fm.memh): the input and the constants in their regions, every other word 0.</summary>
    public MemoryImage FeatureImage(TensorData input) => FeatureLayout.InitialImage(this, input);

    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append("lowered ").Append(Name).Append(" on ").Append(Config.ToString()).Append('\n');
        sb.Append(Dimensions.Dump()).Append('\n');
        sb.Append(Layout.Dump());
        foreach (var image in Images.All)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{image.Name}: {image.Depth} x {image.WordBits} bits\n"));
            for (int a = 0; a < image.Depth; a++)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"  {a,4}: ")).Append(image.Hex(a)).Append('\n');
        }
        return sb.ToString();
    }
}
