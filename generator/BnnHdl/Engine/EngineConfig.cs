using System.Globalization;

namespace BnnHdl.Engine;

/// <summary>
/// The chosen shape of the engine (docs/engine.md "Parameters"): <c>P</c> processing
/// elements (output channels in parallel) x <c>S</c> input lanes (bits of one feature-memory
/// word), and the most bits an activation may have. Everything else the hardware needs
/// (widths, memory depths) is derived from the network by the lowering, in
/// <see cref="EngineDimensions"/>. Two options widen the datapath for layers that use few
/// lanes (docs/engine.md "Segments"): <c>Segments</c>, the most output positions one beat
/// may compute (each PE's lanes split into that many segments), and <c>Banks</c>, the
/// feature-memory words every access reads or writes at once. <c>PeGroups</c> lets a dense
/// layer with fewer output channels than P split the PEs into up to that many groups, each
/// computing the same channels for other positions (docs/engine.md "PE groups").
/// </summary>
public sealed record EngineConfig
{
    /// <summary>Largest P or S: a weight word is P x S bits.</summary>
    public const int MaxLanes = 1024;

    public int P { get; }
    public int S { get; }
    /// <summary>Largest k of a U(k) activation the engine takes (input or thresholded output).</summary>
    public int MaxActivationBits { get; }
    /// <summary>Most output positions per beat (a power of two dividing S); 1 = no segments.</summary>
    public int Segments { get; }
    /// <summary>Feature-memory words per access (a power of two): consecutive words, one per bank.</summary>
    public int Banks { get; }
    /// <summary>Most PE groups (a power of two dividing P); 1 = every PE on one position.</summary>
    public int PeGroups { get; }

    /// <summary>Checks the combination and throws one line naming every broken rule.</summary>
    public EngineConfig(int p, int s, int maxActivationBits = 8, int segments = 1, int banks = 1, int peGroups = 1)
    {
        var problems = new List<string>();
        if (p < 1) problems.Add("P must be at least 1");
        if (s < 1) problems.Add("S must be at least 1");
        if (p > MaxLanes || s > MaxLanes) problems.Add($"P and S must be at most {MaxLanes}");
        else if (p >= 1 && s >= 1 && p > s) problems.Add("P must not exceed S");
        else if (p >= 1 && s >= 1 && s % p != 0) problems.Add("S must be a multiple of P");
        if (maxActivationBits is < 1 or > 8) problems.Add("maximum activation bits must be 1 to 8");
        if (segments < 1 || !IsPowerOfTwo(segments)) problems.Add("segments must be a power of two");
        else if (s >= 1 && s <= MaxLanes && (segments > s || s % segments != 0)) problems.Add("segments must divide S");
        if (banks < 1 || banks > 64 || !IsPowerOfTwo(banks)) problems.Add("banks must be a power of two up to 64");
        if (peGroups < 1 || !IsPowerOfTwo(peGroups)) problems.Add("PE groups must be a power of two");
        else if (p >= 1 && p <= MaxLanes && p % peGroups != 0) problems.Add("PE groups must divide P");
        if (problems.Count > 0)
            throw new BnnHdlException(string.Create(CultureInfo.InvariantCulture,
                $"engine configuration {p}x{s} (P x S): {string.Join("; ", problems)}"));
        P = p;
        S = s;
        MaxActivationBits = maxActivationBits;
        Segments = segments;
        Banks = banks;
        PeGroups = peGroups;
    }

    private static bool IsPowerOfTwo(int v) => v > 0 && (v & (v - 1)) == 0;

    /// <summary>Parses "PxS", e.g. "16x32" (the --engine spelling).</summary>
    public static EngineConfig Parse(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int p)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int s))
            return new EngineConfig(p, s);
        throw new BnnHdlException($"'{text}' is not an engine configuration: expected PxS, e.g. 16x32");
    }

    /// <summary>"PxS", followed by the segments, banks and PE groups when they are not 1.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{P}x{S}{(Segments > 1 ? $" segments {Segments}" : "")}{(Banks > 1 ? $" banks {Banks}" : "")}{(PeGroups > 1 ? $" pe-groups {PeGroups}" : "")}");
}
