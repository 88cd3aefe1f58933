using System.Runtime.CompilerServices;
using System.Text;

namespace BnnHdl.Tests.Support;

/// <summary>
/// Snapshot testing for small generated outputs: the expected text lives in
/// <c>snapshots/NAME</c> beside the calling test file. On a mismatch the actual text is
/// written next to it as <c>NAME.received</c> and the test fails with a readable diff.
/// Set BNN_HDL_ACCEPT=1 to accept new output (writes the expected file instead).
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "BNN_HDL_ACCEPT";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        string dir = Path.Combine(Path.GetDirectoryName(callerFile)!, "snapshots");
        string expectedPath = Path.Combine(dir, name);
        string receivedPath = expectedPath + ".received";
        actual = actual.ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(expectedPath, actual);
            File.Delete(receivedPath);
            return;
        }
        if (!File.Exists(expectedPath))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(receivedPath, actual);
            Assert.Fail($"no snapshot {expectedPath}; the output was written to {receivedPath}. Review it and rerun with {AcceptVariable}=1 to accept.");
        }
        string expected = File.ReadAllText(expectedPath).ReplaceLineEndings("\n");
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"snapshot {name} differs (actual output in {receivedPath}; {AcceptVariable}=1 accepts it):\n{Diff(expected, actual)}");
    }

    /// <summary>A line diff of the changed region, with a little context, '-' expected / '+' actual.</summary>
    public static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int start = 0;
        while (start < e.Length && start < a.Length && e[start] == a[start]) start++;
        int endE = e.Length - 1, endA = a.Length - 1;
        while (endE >= start && endA >= start && e[endE] == a[endA]) { endE--; endA--; }
        var sb = new StringBuilder();
        for (int i = Math.Max(0, start - 2); i < start; i++) sb.Append("  ").Append(i + 1).Append(": ").AppendLine(e[i]);
        for (int i = start; i <= endE; i++) sb.Append("- ").Append(i + 1).Append(": ").AppendLine(e[i]);
        for (int i = start; i <= endA; i++) sb.Append("+ ").Append(i + 1).Append(": ").AppendLine(a[i]);
        return sb.ToString();
    }
}
