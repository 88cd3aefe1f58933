namespace BnnHdl;

/// <summary>
/// A problem with the user's input (network, options, files). The command line prints the
/// message as one line and exits non-zero; anything else escaping is an internal error.
/// </summary>
public class BnnHdlException : Exception
{
    public BnnHdlException(string message) : base(message) { }
}

/// <summary>Every problem a check found, reported together (one per line).</summary>
public sealed class ValidationException : BnnHdlException
{
    public IReadOnlyList<string> Problems { get; }

    public ValidationException(string subject, IReadOnlyList<string> problems)
        : base(problems.Count == 1
            ? $"{subject}: {problems[0]}"
            : $"{subject}: {problems.Count} problems: " + string.Join("; ", problems))
    {
        Problems = problems;
    }
}
