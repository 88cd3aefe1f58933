using System.CommandLine;
using BnnHdl.Network;

namespace BnnHdl.Cli;

/// <summary>Options shared by several commands, with their help text.</summary>
public static class CommonOptions
{
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "Model from the zoo (see 'bnn-hdl models').",
    };

    public static Option<FileInfo?> NetworkScript() => new("--network")
    {
        Description = "C# script (.csx) describing the network with NetworkBuilder; its last expression is the Graph.",
    };

    public static Option<string?> Input() => new("--input")
    {
        Description = "Input size C,H,W overriding the model's default, where the model allows it (e.g. 3,320,320).",
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of the random weights, thresholds and input.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Adds the network-choosing options to a command.</summary>
    public static NetworkOptions AddNetworkOptions(Command command)
    {
        var options = new NetworkOptions(Model(), NetworkScript(), Input());
        command.Options.Add(options.Model);
        command.Options.Add(options.Script);
        command.Options.Add(options.Input);
        return options;
    }
}

/// <summary>--model / --network / --input, resolved to a checked network.</summary>
public sealed record NetworkOptions(Option<string?> Model, Option<FileInfo?> Script, Option<string?> Input)
{
    public Graph Load(ParseResult parsed)
    {
        string? model = parsed.GetValue(Model);
        var script = parsed.GetValue(Script);
        string? input = parsed.GetValue(Input);
        Shape? shape = input is null ? null : Shape.Parse(input);
        if (model is not null && script is not null)
            throw new BnnHdlException("give either --model or --network, not both");
        if (script is not null)
        {
            if (shape is not null) throw new BnnHdlException("--input applies to zoo models; a --network script sets its own input size");
            return NetworkScriptLoader.Load(script.FullName, script.ToString());
        }
        if (model is null) throw new BnnHdlException("no network given: use --model NAME (see 'bnn-hdl models') or --network FILE.csx");
        return Zoo.ModelZoo.Build(model, shape);
    }
}
