using System.Collections;

namespace BnnHdl.Network;

/// <summary>
/// An immutable array with structural equality, so that records holding parameters or
/// lists compare by content (plain arrays and ImmutableArray compare by reference).
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    private EquatableArray(T[] items, bool _) => _items = items;

    /// <summary>Wraps an array the caller promises never to modify again (no copy).</summary>
    public static EquatableArray<T> TakeOwnership(T[] items) => new(items, true);

    public static EquatableArray<T> Empty { get; } = new(Array.Empty<T>(), true);

    public int Count => _items?.Length ?? 0;
    public T this[int index] => (_items ?? Array.Empty<T>())[index];
    public ReadOnlySpan<T> AsSpan() => _items;
    public bool IsDefaultOrEmpty => Count == 0;

    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        // Hash a bounded prefix: parameter arrays can hold millions of entries.
        foreach (var item in AsSpan()[..Math.Min(Count, 64)]) hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

public static class EquatableArray
{
    public static EquatableArray<T> From<T>(params T[] items) => new(items);
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items);
}
