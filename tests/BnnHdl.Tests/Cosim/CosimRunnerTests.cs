using BnnHdl.Cosim;
using BnnHdl.Tests.Emit;
using BnnHdl.Emit;

namespace BnnHdl.Tests.Cosim;

/// <summary>
/// The co-simulation runner's own behavior: a run that does not finish within its cycle
/// limit fails with the harness's message in both simulators, a second run of unchanged
/// RTL reuses the cached build, a missing simulator is a clear error (never a skip), and a
/// folder that is not generated RTL is refused.
/// </summary>
public sealed class CosimRunnerTests
{
    [Theory]
    [InlineData(SimulatorKind.Icarus, "icarus")]
    [InlineData(SimulatorKind.Verilator, "verilator")]
    public void A_run_past_the_cycle_limit_fails(SimulatorKind kind, string name)
    {
        using var dir = new TempFolder();
        var network = EmitFixtures.Small;
        string rtl = Path.Combine(dir.Path, "rtl");
        RtlEmitter.Write(EmitFixtures.Lower(network, 4, 8), network.Input, rtl);
        var e = Assert.Throws<BnnHdlException>(() =>
            RtlSimulator.Run(rtl, kind, new CosimOptions { Cache = CosimCheck.Cache, MaxCycles = 100 }));
        Assert.Equal($"{name} co-simulation failed: no done after 100 cycles", e.Message);
    }

    [Fact]
    public void Unchanged_rtl_is_built_once()
    {
        using var dir = new TempFolder();
        var network = EmitFixtures.Small;
        var program = EmitFixtures.Lower(network, 4, 8);
        var cache = new BuildCache(Path.Combine(dir.Path, "cache"));
        var options = new CosimOptions { Cache = cache };
        var first = Cosimulation.Run(program, network.Input, SimulatorKind.Icarus, Path.Combine(dir.Path, "a"), options);
        // Another folder with the same design: the build is found by content, not by path.
        var second = Cosimulation.Run(program, network.Input, SimulatorKind.Icarus, Path.Combine(dir.Path, "b"), options);
        Assert.True(first.Built);
        Assert.False(second.Built);
        Assert.Equal(first.Layers, second.Layers);
        Assert.Single(Directory.GetDirectories(cache.Root));
    }

    [Fact]
    public void Build_keys_follow_content()
    {
        var a = BuildCache.Key([("x.v", "module x; endmodule"), ("flags", "-Wall")]);
        Assert.Equal(a, BuildCache.Key([("x.v", "module x; endmodule"), ("flags", "-Wall")]));
        Assert.NotEqual(a, BuildCache.Key([("x.v", "module x;  endmodule"), ("flags", "-Wall")]));
        // Length prefixes keep parts apart: moving text between parts changes the key.
        Assert.NotEqual(BuildCache.Key([("ab", "c")]), BuildCache.Key([("a", "bc")]));
    }

    [Fact]
    public void A_missing_simulator_is_an_error_that_says_so()
    {
        var e = Assert.Throws<BnnHdlException>(() => ExternalTool.Require("verilator", searchPath: "/nonexistent-bnn-hdl"));
        Assert.Equal("verilator is not installed (not found on PATH); `make deps` installs the simulators", e.Message);
    }

    [Fact]
    public void The_simulators_of_this_machine_are_installed()
    {
        // The RTL tests need them; CI must provide them (make deps), so say it plainly here.
        foreach (string tool in new[] { "verilator", "iverilog", "vvp" })
            Assert.True(File.Exists(ExternalTool.Require(tool).Path));
    }

    [Fact]
    public void A_folder_without_a_filelist_is_refused()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<BnnHdlException>(() => RtlSimulator.Run(dir.Path, SimulatorKind.Icarus));
        Assert.Equal($"'{dir.Path}' is not a generated RTL folder: it has no files.f", e.Message);
    }
}
