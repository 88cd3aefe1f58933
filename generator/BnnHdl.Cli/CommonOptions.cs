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

    public static Option<int> Xcp() => new("--xcp")
    {
        Description = "Condensation-Net cross-channel pooling: widen the model's chosen convolutions G-fold and pool them "
            + "back by G at write-back, so the widened maps are never stored (G = 2 or 4; mscan-*-sparseinst, tinyyolov2, tinyyolov2-face).",
        DefaultValueFactory = _ => 1,
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of the random weights, thresholds and input.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Adds the network-choosing options to a command.</summary>
    public static NetworkOptions AddNetworkOptions(Command command)
    {
        var options = new NetworkOptions(Model(), NetworkScript(), Input(), Xcp());
        command.Options.Add(options.Model);
        command.Options.Add(options.Script);
        command.Options.Add(options.Input);
        command.Options.Add(options.Xcp);
        return options;
    }
}

/// <summary>--model / --network / --input / --xcp, resolved to a checked network.</summary>
public sealed record NetworkOptions(Option<string?> Model, Option<FileInfo?> Script, Option<string?> Input, Option<int> Xcp)
{
    public Graph Load(ParseResult parsed)
    {
        string? model = parsed.GetValue(Model);
        var script = parsed.GetValue(Script);
        string? input = parsed.GetValue(Input);
        Shape? shape = input is null ? null : Shape.Parse(input);
        int xcp = parsed.GetValue(Xcp);
        if (model is not null && script is not null)
            throw new BnnHdlException("give either --model or --network, not both");
        if (script is not null)
        {
            if (shape is not null) throw new BnnHdlException("--input applies to zoo models; a --network script sets its own input size");
            if (xcp != 1) throw new BnnHdlException("--xcp applies to zoo models; a --network script places its own CrossChannelMaxPool layers");
            return NetworkScriptLoader.Load(script.FullName, script.ToString());
        }
        if (model is null) throw new BnnHdlException("no network given: use --model NAME (see 'bnn-hdl models') or --network FILE.csx");
        return Zoo.ModelZoo.Build(model, shape, xcp);
    }
}
