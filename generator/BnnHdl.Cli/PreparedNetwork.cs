using System.CommandLine;
using BnnHdl.Engine;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;

namespace BnnHdl.Cli;

/// <summary>A network with every parameter given (seeded where missing), its input, and where the input came from (the image file, or the seed).</summary>
public sealed record PreparedNetwork(Graph Graph, TensorData Input, long Seed, string InputSource);

/// <summary>
/// The options every command that runs a network shares: which network (--model, --network,
/// --input), the seed, the input image; and for the engine commands --pe / --lanes.
/// </summary>
public sealed class RunOptions
{
    private readonly NetworkOptions _network;
    private readonly Option<long> _seed = CommonOptions.Seed();
    private readonly Option<FileInfo?> _image = new("--image")
    {
        Description = "Input image (PPM or PGM, 8-bit) instead of a seeded random input; its size must match the input.",
    };
    private readonly Option<FileInfo?> _weights = new("--weights")
    {
        Description = "Float weights and batch norms (.npz, names as 'bnn-hdl weights-template' writes them) instead of seeded "
            + "random ones: signs become the binary weights, batch norm and quantizer levels the thresholds (docs/weights.md).",
    };

    /// <summary>The --image option, for commands that need an image.</summary>
    public Option<FileInfo?> Image => _image;

    public RunOptions(Command command)
    {
        _network = CommonOptions.AddNetworkOptions(command);
        command.Options.Add(_seed);
        command.Options.Add(_image);
        command.Options.Add(_weights);
    }

    /// <summary>
    /// Loads the network, runs <paramref name="check"/> on it (the engine's structural checks,
    /// before any slow work), reads or draws the input, and fills missing parameters.
    /// </summary>
    public PreparedNetwork Prepare(ParseResult parsed, CliConsole console, Action<Graph>? check = null)
    {
        var graph = _network.Load(parsed);
        check?.Invoke(graph);
        long seed = parsed.GetValue(_seed);
        var imageFile = parsed.GetValue(_image);
        var input = imageFile is null
            ? InputImages.Random(graph.Input.Output, seed)
            : InputImages.ReadPnm(imageFile.FullName, imageFile.ToString(), graph.Input.Output);
        if (parsed.GetValue(_weights) is { } weights)
            graph = FloatImport.Import(graph, Npz.Read(weights.FullName, weights.ToString()), weights.ToString());
        var filled = RandomParameters.Fill(graph, input, seed, console.Stage("calibrate", graph.Layers.Count));
        return new PreparedNetwork(filled, input, seed, imageFile?.ToString() ?? $"seeded random input (seed {seed})");
    }
}

/// <summary>--pe P --lanes S --segments G --banks B --pe-groups Q: the engine's parallelism.</summary>
public sealed class EngineOptions
{
    private readonly Option<int> _pe = new("--pe")
    {
        Description = "Processing elements P (output channels computed in parallel).",
        DefaultValueFactory = _ => 64,
    };
    private readonly Option<int> _lanes = new("--lanes")
    {
        Description = "Input lanes S (activation bits per cycle); a multiple of P.",
        DefaultValueFactory = _ => 64,
    };

    private readonly Option<int> _segments = new("--segments")
    {
        Description = "Most output positions each PE computes per beat (a power of two dividing S): dense layers read "
            + "their groups in runs of S / G lanes, one position per run, so groups of few or uneven channel counts "
            + "(16, 48, 160) fill the lanes; depthwise and strip convolutions also put a window row's taps on a "
            + "segment's lanes (the window).",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<int> _banks = new("--banks")
    {
        Description = "Feature-memory words read or written per access (a power of two): what segmented layers need "
            + "to fetch and store several positions in one cycle, and the window its G + KW - 1 positions "
            + "(e.g. --segments 16 --banks 64 for depthwise layers at 64 x 64).",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<int> _peGroups = new("--pe-groups")
    {
        Description = "Most PE groups (a power of two dividing P): a dense layer with fewer output channels than P "
            + "splits the PEs into groups of P / Q that compute the same channels for other positions of the "
            + "access (needs --banks for the extra positions; e.g. --segments 8 --banks 32 --pe-groups 4).",
        DefaultValueFactory = _ => 1,
    };

    public EngineOptions(Command command)
    {
        command.Options.Add(_pe);
        command.Options.Add(_lanes);
        command.Options.Add(_segments);
        command.Options.Add(_banks);
        command.Options.Add(_peGroups);
    }

    public EngineConfig Config(ParseResult parsed) =>
        new(parsed.GetValue(_pe), parsed.GetValue(_lanes), segments: parsed.GetValue(_segments), banks: parsed.GetValue(_banks),
            peGroups: parsed.GetValue(_peGroups));
}
