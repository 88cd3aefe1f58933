using BnnHdl.Engine;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// The random single-operation networks of <see cref="RandomOpNetworks"/> (every engine v2
/// operation with random operand types and shapes) in the engine simulator on three engine
/// shapes: every layer equals the reference and takes its predicted cycles.
/// </summary>
public sealed class RandomOpTests
{
    public const int Count = 96;

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Count).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_operation_equals_the_reference_on_every_config(int index)
    {
        var (g, input, description) = RandomOpNetworks.Build(index);
        foreach (var config in new[] { new EngineConfig(4, 8), new EngineConfig(3, 6), new EngineConfig(16, 32) })
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }
}

/// <summary>The random cases cover what each operation takes.</summary>
public sealed class RandomOpCoverageTests
{
    [Fact]
    public void Random_cases_cover_gate_types_transposes_and_signed_operands()
    {
        var d = Enumerable.Range(0, RandomOpTests.Count).Select(i => RandomOpNetworks.Build(i).Description).ToList();
        Assert.Contains(d, x => x.StartsWith("Mul", StringComparison.Ordinal) && x.Contains("gate B x", StringComparison.Ordinal));
        Assert.Contains(d, x => x.StartsWith("Mul", StringComparison.Ordinal) && x.Contains("gate U1 x", StringComparison.Ordinal));
        Assert.Contains(d, x => x.StartsWith("Mul", StringComparison.Ordinal) && x.Contains(" x I", StringComparison.Ordinal));
        Assert.Contains(d, x => x.StartsWith("Add", StringComparison.Ordinal) && x.Contains(" I", StringComparison.Ordinal));
        var products = d.Where(x => x.StartsWith("ActMatMul", StringComparison.Ordinal)).ToList();
        Assert.Contains(products, x => x.Contains("^T x", StringComparison.Ordinal));    // A transposed
        Assert.Contains(products, x => x.EndsWith("^T", StringComparison.Ordinal));     // Bm transposed
        Assert.Contains(products, x => !x.Contains('^', StringComparison.Ordinal));     // neither
        Assert.Contains(products, x => x.Contains(" B", StringComparison.Ordinal));      // a bipolar operand
    }
}
