using BnnHdl.Engine;
using BnnHdl.Lowering;

namespace BnnHdl.Tests.Engine;

/// <summary>
/// The window (docs/engine.md "Window"): the random layers of <see cref="RandomWindowNetworks"/>
/// on engines whose banks let a beat carry a window row of G positions, bit-exact and
/// cycle-exact in the simulator, and most of them really windowed.
/// </summary>
public sealed class RandomWindowTests
{
    internal static readonly EngineConfig[] Configs =
        [new(4, 8, segments: 2, banks: 16), new(8, 32, segments: 4, banks: 32), new(16, 64, segments: 16, banks: 64),
         new(2, 8, segments: 1, banks: 32), new(8, 96, segments: 8, banks: 16)];

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, 40).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_window_layer_equals_the_reference(int index)
    {
        var (g, input, description) = RandomWindowNetworks.Build(index);
        foreach (var config in Configs)
            EngineCheck.AgainstReference(g, config, input, $"case {index} ({description})");
    }

    [Fact]
    public void Most_cases_run_windowed()
    {
        // Rows of more taps than S lanes, and accesses past the banks, stay unwindowed.
        int[] least = [20, 30, 30, 20, 20];
        for (int k = 0; k < Configs.Length; k++)
        {
            int windowed = Enumerable.Range(0, 40).Count(i => LoweringPipeline.Lower(RandomWindowNetworks.Build(i).Graph, Configs[k])
                .Layers.Any(l => l.Descriptor.Win == 1));
            Assert.True(windowed >= least[k], $"{windowed} of 40 cases windowed on {Configs[k]}");
        }
        // Vertical strips walk their columns wherever the banks allow.
        int columns = Enumerable.Range(0, 40).Count(i => LoweringPipeline.Lower(RandomWindowNetworks.Build(i).Graph, Configs[1])
            .Layers.Any(l => l.Descriptor.Vert == 1));
        Assert.True(columns >= 8, $"{columns} of 40 cases walk columns on {Configs[1]}");
    }
}
