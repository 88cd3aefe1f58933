using System.CommandLine;
using BnnHdl.Cli.Commands;

namespace BnnHdl.Cli;

/// <summary>
/// The `bnn-hdl` command line. User errors (bad options, invalid networks, unreadable
/// files) print one line and exit 1; usage errors exit 2; anything else is an internal
/// error, printed as one line too (set BNN_HDL_DEBUG=1 for the stack trace).
/// </summary>
public static class CommandLine
{
    public const int UserError = 1;
    public const int UsageError = 2;
    public const int InternalError = 70;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand(
            "bnn-hdl: generator of binary-weight neural-network inference hardware.\n" +
            "Describes networks, runs the bit-exact reference model and exports golden vectors.");
        root.Subcommands.Add(ModelsCommand.Create(console));
        root.Subcommands.Add(DescribeCommand.Create(console));
        root.Subcommands.Add(GoldenCommand.Create(console));
        root.Subcommands.Add(ScheduleCommand.Create(console));
        root.Subcommands.Add(GenerateCommand.Create(console));
        root.Subcommands.Add(CosimCommand.Create(console));
        root.Subcommands.Add(WeightsTemplateCommand.Create(console));
        root.Subcommands.Add(InferCommand.Create(console));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? "bnn-hdl" : "bnn-hdl " + parsed.CommandResult.Command.Name;
            // An unknown word explains more than the "required command" error that accompanies it.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            stderr.WriteLine($"bnn-hdl: error: {OneLine(error.Message)} (see '{command} --help')");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (BnnHdlException e)
        {
            console.EndProgress();
            stderr.WriteLine($"bnn-hdl: error: {OneLine(e.Message)}");
            return UserError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("BNN_HDL_DEBUG") != "1")
        {
            console.EndProgress();
            stderr.WriteLine($"bnn-hdl: internal error: {e.GetType().Name}: {OneLine(e.Message)} (set BNN_HDL_DEBUG=1 for details)");
            return InternalError;
        }
    }

    /// <summary>Messages (ours and the parser's) as one line: line breaks and tabs become single spaces.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
