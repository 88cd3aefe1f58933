namespace BnnHdl.Tests.Cli;

public class NetworkScriptTests
{
    private const string GoodScript = """
        var b = new NetworkBuilder("scripted");
        var x = b.Input(3, 8, 8);
        var c = b.Conv2d(x, 4, 3, pad: 1, name: "conv");
        b.Output(b.MultiThreshold(c, DataType.U(2), name: "conv.q"));
        b.Build()
        """;

    [Fact]
    public void A_script_describes_a_network()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("net.csx"), GoodScript);
        var r = CliRunner.Run("describe", "--network", dir.File("net.csx"), "--format", "json");
        Assert.Equal("", r.Error);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"network\": \"scripted\"", r.Out);
        Assert.Contains("\"totals\": {\"layers\":3,\"macs\":6912,\"params\":108}", r.Out); // 4 x 8 x 8 outputs x 27 taps
    }

    [Fact]
    public void A_compile_error_names_the_file_and_line()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("bad.csx"), "var b = new NetworkBuilder(\"n\");\nvar x = b.Input(3, 8, 8);\nb.Conv2d(y, 4, 3);\nb.Build()");
        var r = CliRunner.Run("describe", "--network", dir.File("bad.csx"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"bnn-hdl: error: {dir.File("bad.csx")}(3,10): error CS0103: The name 'y' does not exist in the current context\n", r.Error);
    }

    [Fact]
    public void An_invalid_network_in_a_script_reports_every_problem_on_one_line()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("inv.csx"), """
            var b = new NetworkBuilder("inv");
            var x = b.Input(3, 4, 4);
            b.Output(b.Conv2d(x, 4, 7, name: "big"), b.CrossChannelMaxPool(b.MultiThreshold(b.Conv2d(x, 3, 1, name: "c"), DataType.B, name: "q"), 2, name: "xcp"));
            b.Build()
            """);
        var r = CliRunner.Run("describe", "--network", dir.File("inv.csx"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(
            $"bnn-hdl: error: {dir.File("inv.csx")}: network 'inv': 3 problems: " +
            "layer 'big' (Conv2d): kernel height 7 is larger than the padded input height 4; " +
            "layer 'big' (Conv2d): kernel width 7 is larger than the padded input width 4; " +
            "layer 'xcp' (CrossChannelMaxPool): group 2 does not divide the 3 channels of 'q'\n", r.Error);
    }

    [Fact]
    public void A_script_that_does_not_end_with_the_network_is_rejected()
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllText(dir.File("none.csx"), "var b = new NetworkBuilder(\"n\");");
        var r = CliRunner.Run("describe", "--network", dir.File("none.csx"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"bnn-hdl: error: {dir.File("none.csx")}: the script must end with an expression giving the network, e.g. 'b.Build()' (without a semicolon)\n", r.Error);
    }
}
