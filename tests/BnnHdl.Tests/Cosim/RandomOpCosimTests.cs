using BnnHdl.Cosim;
using BnnHdl.Engine;
using BnnHdl.Lowering;
using BnnHdl.Tests.Engine;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// The random single-operation networks (<see cref="RandomOpNetworks"/>: every engine v2
/// operation with random operand types) in Icarus on two small engine shapes, one of them
/// not a power of two: every stored tensor bit-exact, every layer's cycles as predicted.
/// The first 24 cases cover every operation twice.
/// </summary>
public sealed class RandomOpCosimTests
{
    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 24).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_operation_equals_the_reference_in_icarus(int index)
    {
        var (g, input, description) = RandomOpNetworks.Build(index);
        foreach (var config in new[] { new EngineConfig(4, 8), new EngineConfig(3, 6) })
            CosimCheck.AgainstReference(g, LoweringPipeline.Lower(g, config), input, SimulatorKind.Icarus, $"case {index} ({description})");
    }
}
