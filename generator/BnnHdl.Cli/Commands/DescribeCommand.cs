using System.CommandLine;
using BnnHdl.Reports;

namespace BnnHdl.Cli.Commands;

/// <summary>`bnn-hdl describe`: per layer op, shapes, type, MACs and parameters, with totals.</summary>
public static class DescribeCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("describe",
            "Describe a network: per layer the op, input and output shapes, output type, MACs and parameters, then totals.\n" +
            "MACs count the multiply-accumulates of Conv2d, Linear and ActMatMul layers; parameters are their weights and biases.");
        var network = CommonOptions.AddNetworkOptions(command);
        var format = new Option<string>("--format")
        {
            Description = "Output format: text (a table) or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        command.Options.Add(format);
        command.SetAction(parsed =>
        {
            var summary = NetworkSummary.Of(network.Load(parsed));
            console.Out.Write(parsed.GetValue(format) == "json" ? SummaryJson.Format(summary) : SummaryText.Format(summary));
            return 0;
        });
        return command;
    }
}
