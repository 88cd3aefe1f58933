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

    public static Option<int?> DecoderOption(string name, string what) => new(name)
    {
        Description = $"SparseInst decoder {what} (*-sparseinst models).",
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of the random weights, thresholds and input.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Adds the network-choosing options to a command.</summary>
    public static NetworkOptions AddNetworkOptions(Command command)
    {
        var options = new NetworkOptions(Model(), NetworkScript(), Input(), Xcp(),
            DecoderOption("--decoder-width", "width D of the encoder and both branches (default 256)"),
            DecoderOption("--instances", "instances N (default 100)"),
            DecoderOption("--classes", "classes (default 1: person)"));
        command.Options.Add(options.Model);
        command.Options.Add(options.Script);
        command.Options.Add(options.Input);
        command.Options.Add(options.Xcp);
        command.Options.Add(options.Width);
        command.Options.Add(options.Instances);
        command.Options.Add(options.Classes);
        return options;
    }
}

/// <summary>--model / --network / --input / --xcp / the decoder's size, resolved to a checked network.</summary>
public sealed record NetworkOptions(Option<string?> Model, Option<FileInfo?> Script, Option<string?> Input, Option<int> Xcp,
    Option<int?> Width, Option<int?> Instances, Option<int?> Classes)
{
    public Graph Load(ParseResult parsed)
    {
        string? model = parsed.GetValue(Model);
        var script = parsed.GetValue(Script);
        string? input = parsed.GetValue(Input);
        Shape? shape = input is null ? null : Shape.Parse(input);
        int xcp = parsed.GetValue(Xcp);
        var (width, instances, classes) = (parsed.GetValue(Width), parsed.GetValue(Instances), parsed.GetValue(Classes));
        Zoo.SparseInstOptions? decoder = null;
        if (width is not null || instances is not null || classes is not null)
        {
            var d = new Zoo.SparseInstOptions();
            decoder = d with { Width = width ?? d.Width, Instances = instances ?? d.Instances, Classes = classes ?? d.Classes };
        }
        if (model is not null && script is not null)
            throw new BnnHdlException("give either --model or --network, not both");
        if (script is not null)
        {
            if (shape is not null) throw new BnnHdlException("--input applies to zoo models; a --network script sets its own input size");
            if (xcp != 1) throw new BnnHdlException("--xcp applies to zoo models; a --network script places its own CrossChannelMaxPool layers");
            if (decoder is not null) throw new BnnHdlException("--decoder-width, --instances and --classes apply to zoo models; a --network script sizes its own layers");
            return NetworkScriptLoader.Load(script.FullName, script.ToString());
        }
        if (model is null) throw new BnnHdlException("no network given: use --model NAME (see 'bnn-hdl models') or --network FILE.csx");
        return Zoo.ModelZoo.Build(model, shape, new Zoo.ModelOptions(xcp, decoder));
    }
}
