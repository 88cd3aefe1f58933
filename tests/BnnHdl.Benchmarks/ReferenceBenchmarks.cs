using BenchmarkDotNet.Attributes;
using BnnHdl.Golden;
using BnnHdl.Network;
using BnnHdl.Quant;
using BnnHdl.Reference;
using BnnHdl.Zoo;

namespace BnnHdl.Benchmarks;

/// <summary>
/// The reference model on the published zoo networks at their full input sizes: the goal is
/// golden data for real sizes in seconds (MobileNetV2 at 224x224 is about 300 M MACs).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ReferenceBenchmarks
{
    private Graph _graph = null!;
    private TensorData _input = null!;

    [Params("mobilenetv2", "mobilefacenet", "tinyyolov2")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var graph = ModelZoo.Build(Model);
        _input = InputImages.Random(graph.Input.Output, 1);
        _graph = RandomParameters.Fill(graph, _input, 1, null);
    }

    [Benchmark]
    public ReferenceRun Run() => ReferenceModel.Run(_graph, _input);
}
