using System.Globalization;

namespace BnnHdl.Engine;

/// <summary>
/// The chosen shape of the engine (docs/engine.md "Parameters"): <c>P</c> processing
/// elements (output channels in parallel) x <c>S</c> input lanes (bits of one feature-memory
/// word), and the most bits an activation may have. Everything else the hardware needs
/// (widths, memory depths) is derived from the network by the lowering, in
/// <see cref="EngineDimensions"/>.
/// </summary>
public sealed record EngineConfig
{
    /// <summary>Largest P or S: a weight word is P x S bits.</summary>
    public const int MaxLanes = 1024;

    public int P { get; }
    public int S { get; }
    /// <summary>Largest k of a U(k) activation the engine takes (input or thresholded output).</summary>
    public int MaxActivationBits { get; }

    /// <summary>Checks the combination and throws one line naming every broken rule.</summary>
    public EngineConfig(int p, int s, int maxActivationBits = 8)
    {
        var problems = new List<string>();
        if (p < 1) problems.Add("P must be at least 1");
        if (s < 1) problems.Add("S must be at least 1");
        if (p > MaxLanes || s > MaxLanes) problems.Add($"P and S must be at most {MaxLanes}");
        else if (p >= 1 && s >= 1 && p > s) problems.Add("P must not exceed S");
        else if (p >= 1 && s >= 1 && s % p != 0) problems.Add("S must be a multiple of P");
        if (maxActivationBits is < 1 or > 8) problems.Add("maximum activation bits must be 1 to 8");
        if (problems.Count > 0)
            throw new BnnHdlException(string.Create(CultureInfo.InvariantCulture,
                $"engine configuration {p}x{s} (P x S): {string.Join("; ", problems)}"));
        P = p;
        S = s;
        MaxActivationBits = maxActivationBits;
    }

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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P}x{S}");
}
