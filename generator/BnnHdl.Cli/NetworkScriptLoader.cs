using BnnHdl.Network;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace BnnHdl.Cli;

/// <summary>
/// Compiles and runs a network description script (.csx) in-process with Roslyn scripting.
/// The script sees the BnnHdl.Network namespace; its last expression must be the Graph,
/// e.g. <c>b.Build()</c>. Errors name the file and line.
/// </summary>
public static class NetworkScriptLoader
{
    public static Graph Load(string path, string displayName)
    {
        if (!File.Exists(path)) throw new BnnHdlException($"{displayName}: no such file");
        string code = File.ReadAllText(path);
        var options = ScriptOptions.Default
            .WithReferences(typeof(Graph).Assembly)
            .WithImports("System", "System.Linq", "System.Collections.Generic", "BnnHdl.Network")
            .WithFilePath(displayName)
            .WithEmitDebugInformation(false);
        object? result;
        try
        {
            result = CSharpScript.EvaluateAsync(code, options).GetAwaiter().GetResult();
        }
        catch (CompilationErrorException e)
        {
            var first = e.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            int more = e.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) - 1;
            throw new BnnHdlException(first.ToString() + (more > 0 ? $" (and {more} more error{(more > 1 ? "s" : "")})" : ""));
        }
        catch (BnnHdlException e)
        {
            throw new BnnHdlException($"{displayName}: {e.Message}");
        }
        catch (Exception e)
        {
            throw new BnnHdlException($"{displayName}: the script failed: {e.GetType().Name}: {e.Message}");
        }
        return result switch
        {
            Graph g => g.Validate(),
            NetworkBuilder b => b.Build(),
            null => throw new BnnHdlException($"{displayName}: the script must end with an expression giving the network, e.g. 'b.Build()' (without a semicolon)"),
            _ => throw new BnnHdlException($"{displayName}: the script's last expression is a {result.GetType().Name}, not a network; end it with e.g. 'b.Build()'"),
        };
    }
}
