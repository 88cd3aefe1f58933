using System.Globalization;
using System.Text;
using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>One program word of a layer and its tiles.</summary>
public sealed record ScheduledPart(LayerDescriptor Descriptor, EquatableArray<TileDescriptor> Tiles);

/// <summary>
/// One engine layer with its program words (<see cref="Parts"/>: one, or one per adaptive-pool
/// bin or upsampling phase), their tiles and the regions it reads and writes.
/// </summary>
public sealed record ScheduledLayer(FusedLayer Source, FmRegion InRegion, FmRegion OutRegion, EquatableArray<ScheduledPart> Parts)
{
    /// <summary>The first part's program word: the fields every part of the layer shares (types, modes, layer id).</summary>
    public LayerDescriptor Descriptor => Parts[0].Descriptor;

    /// <summary>The tiles of all parts, in tile-memory order.</summary>
    public IEnumerable<TileDescriptor> Tiles => Parts.SelectMany(p => p.Tiles);

    public IEnumerable<LayerDescriptor> Descriptors => Parts.Select(p => p.Descriptor);

    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append("layer ").Append(Descriptor.LayerId.ToString(CultureInfo.InvariantCulture)).Append(' ')
          .Append(Source.Name).Append(" -> ").Append(Source.Out.Name).Append('\n');
        foreach (var part in Parts)
        {
            sb.Append("    program: ").Append(Format(part.Descriptor.Fields())).Append('\n');
            foreach (var t in part.Tiles) sb.Append("    tile: ").Append(Format(t.Fields())).Append('\n');
        }
        return sb.ToString();
    }

    internal static string Format(IEnumerable<(string Name, long Value)> fields) =>
        string.Join(" ", fields.Select(f => f.Name + "=" + f.Value.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>
/// The output of <see cref="Schedule"/>: the program (one descriptor per layer, its tiles)
/// and the depths of the weight, threshold and tile memories it addresses.
/// </summary>
public sealed record ScheduledProgram(
    EngineConfig Config, AllocatedGraph Memory, EquatableArray<ScheduledLayer> Layers, int WmWords, int TmWords, int TileWords)
{
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append(Memory.Dump());
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"schedule on {Config}: {Layers.Count} layers, {TileWords} tiles, {WmWords} weight words, {TmWords} threshold words\n"));
        foreach (var layer in Layers) sb.Append("  ").Append(layer.Dump());
        return sb.ToString();
    }
}
