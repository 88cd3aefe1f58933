using System.Globalization;
using System.Text.Json;

namespace BnnHdl.Golden;

/// <summary>
/// Short arrays (shapes, kernel sizes, group ranges, name lists) written on one line inside
/// the indented manifest: Utf8JsonWriter would put every number on a line of its own, which
/// makes a manifest of a real network hard to read.
/// </summary>
internal static class CompactJson
{
    public static void Ints(Utf8JsonWriter w, string name, params IEnumerable<int> values)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(IntList(values));
    }

    public static void IntLists(Utf8JsonWriter w, string name, IEnumerable<IEnumerable<int>> lists)
    {
        w.WritePropertyName(name);
        w.WriteRawValue("[" + string.Join(", ", lists.Select(IntList)) + "]");
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WritePropertyName(name);
        w.WriteRawValue("[" + string.Join(", ", values.Select(v => "\"" + JsonEncodedText.Encode(v).ToString() + "\"")) + "]");
    }

    private static string IntList(IEnumerable<int> values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
