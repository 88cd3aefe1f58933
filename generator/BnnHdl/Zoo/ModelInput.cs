using System.Globalization;
using BnnHdl.Network;

namespace BnnHdl.Zoo;

/// <summary>
/// The input sizes one zoo model can take: its default, and a rule for overrides
/// (<c>--input C,H,W</c>). A model whose structure fixes its input (a global convolution
/// sized to the last feature map, a halving path that must divide evenly) states that here,
/// so a bad override fails with one line instead of a shape error deep inside the network.
/// </summary>
/// <param name="Takes">What the error says the model takes, e.g. "3,H,W with H and W multiples of 32 (default 3,224,224)".</param>
internal sealed record ModelInput(string Model, Shape Default, Func<Shape, bool> Accepts, string Takes)
{
    /// <summary>The default when nothing is asked for, else the request if the model takes it.</summary>
    public Shape Resolve(Shape? requested)
    {
        if (requested is null) return Default;
        if (Accepts(requested)) return requested;
        throw new BnnHdlException(
            $"model '{Model}' takes input {Takes}; got {Spell(requested)}");
    }

    /// <summary>The --input spelling, C,H,W.</summary>
    public static string Spell(Shape s) => string.Create(CultureInfo.InvariantCulture, $"{s.C},{s.H},{s.W}");

    /// <summary>3-channel images whose sides are positive multiples of <paramref name="step"/>.</summary>
    public static ModelInput RgbMultipleOf(string model, Shape @default, int step) =>
        new(model, @default, s => s.C == 3 && s.H > 0 && s.W > 0 && s.H % step == 0 && s.W % step == 0,
            string.Create(CultureInfo.InvariantCulture, $"3,H,W with H and W multiples of {step} (default {Spell(@default)})"));
}
