namespace BnnHdl.Tests.Cli;

public class CommandLineTests
{
    [Fact]
    public void Unknown_options_are_a_usage_error_on_one_line()
    {
        var r = CliRunner.Run("describe", "--model", "tiny", "--colour", "red");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("bnn-hdl: error: Unrecognized command or argument '--colour'. (see 'bnn-hdl describe --help')\n", r.Error);
    }

    [Fact]
    public void Bad_format_value_is_a_usage_error()
    {
        var r = CliRunner.Run("describe", "--model", "tiny", "--format", "xml");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("bnn-hdl: error: Argument 'xml' not recognized. Must be one of:", r.Error);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_unknown_command_is_named()
    {
        var r = CliRunner.Run("frob");
        Assert.Equal((2, "bnn-hdl: error: Unrecognized command or argument 'frob'. (see 'bnn-hdl --help')\n"), (r.ExitCode, r.Error));
    }

    [Fact]
    public void An_input_too_large_for_a_tensor_is_refused_in_one_line()
    {
        var r = CliRunner.Run("describe", "--model", "dense-mix", "--input", "3,65536,65536");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("bnn-hdl: error: network 'dense-mix': layer 'input' (Input): output 3x65536x65536 holds 12,884,901,888 values; a tensor holds at most 268,435,456\n", r.Error);
    }

    [Fact]
    public void A_missing_network_is_explained()
    {
        var r = CliRunner.Run("describe");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("bnn-hdl: error: no network given: use --model NAME (see 'bnn-hdl models') or --network FILE.csx\n", r.Error);
    }

    [Fact]
    public void A_bad_input_shape_is_explained()
    {
        var r = CliRunner.Run("describe", "--model", "tiny", "--input", "3,32");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("bnn-hdl: error: '3,32' is not an input shape: expected C,H,W with three positive integers, e.g. 3,224,224\n", r.Error);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var command in new[] { "models", "describe", "golden" }) Assert.Contains(command, r.Out);
    }
}
