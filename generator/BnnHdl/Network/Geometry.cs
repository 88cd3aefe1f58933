using System.Globalization;

namespace BnnHdl.Network;

/// <summary>A tensor shape, channels-first, batch 1: C x H x W.</summary>
public sealed record Shape(int C, int H, int W)
{
    public long Size => (long)C * H * W;
    public int Positions => H * W;
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{C}x{H}x{W}");

    /// <summary>Parses "C,H,W" (the --input spelling).</summary>
    public static Shape Parse(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 3
            && parts.All(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
        {
            var v = parts.Select(p => int.Parse(p.Trim(), CultureInfo.InvariantCulture)).ToArray();
            return new Shape(v[0], v[1], v[2]);
        }
        throw new BnnHdlException($"'{text}' is not an input shape: expected C,H,W with three positive integers, e.g. 3,224,224");
    }
}

/// <summary>A (vertical, horizontal) pair: kernel size, stride, dilation, factors.</summary>
public sealed record Pair(int Y, int X)
{
    public static Pair Of(int both) => new(both, both);
    public static implicit operator Pair(int both) => new(both, both);
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Y}x{X}");
}

/// <summary>Padding in SPEC order: top, left, bottom, right.</summary>
public sealed record Padding(int Top, int Left, int Bottom, int Right)
{
    public static Padding None { get; } = new(0, 0, 0, 0);
    public static Padding Of(int all) => new(all, all, all, all);
    public static implicit operator Padding(int all) => new(all, all, all, all);
    public static Padding Of(int y, int x) => new(y, x, y, x);
    public bool IsNone => Top == 0 && Left == 0 && Bottom == 0 && Right == 0;
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Top},{Left},{Bottom},{Right}");
}

/// <summary>One convolution group: input channels [InStart, InEnd) feed outputs [OutStart, OutEnd).</summary>
public sealed record GroupRange(int InStart, int InEnd, int OutStart, int OutEnd)
{
    public int InCount => InEnd - InStart;
    public int OutCount => OutEnd - OutStart;
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{InStart}:{InEnd}->{OutStart}:{OutEnd}");
}
