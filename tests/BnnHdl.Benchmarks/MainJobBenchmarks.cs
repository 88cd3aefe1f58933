using BenchmarkDotNet.Attributes;
using BnnHdl.Engine;
using BnnHdl.Golden;
using BnnHdl.Lowering;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using BnnHdl.Zoo;

namespace BnnHdl.Benchmarks;

/// <summary>
/// The C# stages of the main job on its network and engine: mscan-t-sparseinst at
/// 3 x 256 x 256 (seed 1) on P x S = 64 x 64 with 16 segments and 32 banks, as `make run`
/// builds it. The reference model (7.5 G MACs), the lowering to 522 program words, and the
/// engine simulator over its 4.7 M cycles, the figures a change to any of them should keep.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MainJobBenchmarks
{
    private static readonly EngineConfig MakeRunEngine = new(64, 64, segments: 16, banks: 32);
    private Graph _graph = null!;
    private TensorData _input = null!;
    private LoweredProgram _program = null!;

    [GlobalSetup]
    public void Setup()
    {
        var graph = ModelZoo.Build("mscan-t-sparseinst");
        _input = InputImages.Random(graph.Input.Output, 1);
        _graph = RandomParameters.Fill(graph, _input, 1);
        _program = LoweringPipeline.Lower(_graph, MakeRunEngine);
    }

    [Benchmark]
    public ReferenceRun Reference() => ReferenceModel.Run(_graph, _input);

    [Benchmark]
    public LoweredProgram Lowering() => LoweringPipeline.Lower(_graph, MakeRunEngine);

    [Benchmark]
    public EngineRun EngineSimulation() => EngineSimulator.Run(_program, _input);
}
