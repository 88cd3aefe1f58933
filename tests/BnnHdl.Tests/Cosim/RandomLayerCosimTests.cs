using BnnHdl.Cosim;
using BnnHdl.Tests.Emit;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Quant;
using BnnHdl.Tests.Engine;
using static BnnHdl.Tests.Reference.RandomCases;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// The engine simulator's random single-layer cases (<see cref="RandomConvTests"/>) in the
/// RTL: every kind of activation, grouping, padding, stride, dilation, weight mode and
/// output, on engine shapes that include S above 64 (wide FM words) and P, S that are not
/// powers of two. Icarus builds in a fraction of a second, which keeps many distinct
/// designs affordable (the first 16 of the 48 cases). A 64 x 64 engine is left to Verilator
/// (the zoo networks in <see cref="NetworkCosimTests"/>): Icarus evaluates its 4096 lanes at
/// some 40 ms a cycle, a minute for one of these layers.
/// </summary>
public sealed class RandomLayerCosimTests
{
    private static readonly EngineConfig[] Configs = [new(4, 8), new(3, 6), new(8, 96), new(1, 1), new(16, 32)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 16).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_layer_equals_the_reference_in_icarus(int index)
    {
        var r = SeededRandom.For(1000 + index, "engine conv case");
        var (g, description) = RandomConvTests.RandomLayer(r);
        var input = Tensor(r, g.Input.Output.Shape, g.Input.Output.Type);
        foreach (var config in Configs)
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"case {index} ({description})");
    }
}
