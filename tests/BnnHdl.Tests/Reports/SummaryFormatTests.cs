using System.Text.Json;
using BnnHdl.Network;
using BnnHdl.Reports;

namespace BnnHdl.Tests.Reports;

public class SummaryFormatTests
{
    /// <summary>
    /// input 1x32x32 U8 -> conv (2 x 3x3, pad 1, bias): 2*1*9*1024 = 18,432 MACs, 18 + 2 params,
    /// bounds +-9*255 -> I13; thr U2; res = conv + (thr &lt;&lt; 1) -> I13; q U2; gsum of 1024 U2
    /// values in [0, 3072] -> I13; avg U2; fc (3, bias): 2*3 = 6 MACs, 6 + 3 params, +-6 -> I4.
    /// </summary>
    private static NetworkSummary Small()
    {
        var u2 = DataType.U(2);
        var b = new NetworkBuilder("small");
        var x = b.Input(1, 32, 32);
        var conv = b.Conv2d(x, 2, 3, pad: 1, bias: true, name: "conv");
        var thr = b.MultiThreshold(conv, u2, name: "thr");
        var q = b.MultiThreshold(b.Add(conv, thr, shiftB: 1, name: "res"), u2, name: "q");
        var avg = b.MultiThreshold(b.GlobalSumPool(q, name: "gsum"), u2, name: "avg");
        b.Output(b.Linear(avg, 3, bias: true, name: "fc"));
        return NetworkSummary.Of(b.Build());
    }

    [Fact]
    public void Text_is_an_aligned_table_with_totals()
    {
        const string expected = """
            network small, input 1x32x32
            layer  op              inputs     input shapes      output   type    MACs  params
            -----  --------------  ---------  ----------------  -------  ----  ------  ------
            input  Input           -          -                 1x32x32  U8         -       -
            conv   Conv2d          input      1x32x32           2x32x32  I13   18,432      20
            thr    MultiThreshold  conv       2x32x32           2x32x32  U2         -       -
            res    Add             conv, thr  2x32x32, 2x32x32  2x32x32  I13        -       -
            q      MultiThreshold  res        2x32x32           2x32x32  U2         -       -
            gsum   GlobalSumPool   q          2x32x32           2x1x1    I13        -       -
            avg    MultiThreshold  gsum       2x1x1             2x1x1    U2         -       -
            fc     Linear          avg        2x1x1             3x1x1    I4         6       9
            total: 8 layers, 18,438 MACs, 29 params

            """;
        Assert.Equal(expected, SummaryText.Format(Small()));
    }

    [Fact]
    public void Json_has_one_layer_per_line_with_snake_case_keys_in_order()
    {
        const string expected = """
            {
              "network": "small",
              "input_shape": [1,32,32],
              "layers": [
                {"name":"input","op":"Input","inputs":[],"input_shapes":[],"output_shape":[1,32,32],"output_type":"U8","macs":0,"params":0},
                {"name":"conv","op":"Conv2d","inputs":["input"],"input_shapes":[[1,32,32]],"output_shape":[2,32,32],"output_type":"I13","macs":18432,"params":20},
                {"name":"thr","op":"MultiThreshold","inputs":["conv"],"input_shapes":[[2,32,32]],"output_shape":[2,32,32],"output_type":"U2","macs":0,"params":0},
                {"name":"res","op":"Add","inputs":["conv","thr"],"input_shapes":[[2,32,32],[2,32,32]],"output_shape":[2,32,32],"output_type":"I13","macs":0,"params":0},
                {"name":"q","op":"MultiThreshold","inputs":["res"],"input_shapes":[[2,32,32]],"output_shape":[2,32,32],"output_type":"U2","macs":0,"params":0},
                {"name":"gsum","op":"GlobalSumPool","inputs":["q"],"input_shapes":[[2,32,32]],"output_shape":[2,1,1],"output_type":"I13","macs":0,"params":0},
                {"name":"avg","op":"MultiThreshold","inputs":["gsum"],"input_shapes":[[2,1,1]],"output_shape":[2,1,1],"output_type":"U2","macs":0,"params":0},
                {"name":"fc","op":"Linear","inputs":["avg"],"input_shapes":[[2,1,1]],"output_shape":[3,1,1],"output_type":"I4","macs":6,"params":9}
              ],
              "totals": {"layers":8,"macs":18438,"params":29}
            }

            """;
        Assert.Equal(expected, SummaryJson.Format(Small()));
    }

    [Fact]
    public void Json_reads_back_as_the_summary()
    {
        var summary = NetworkSummary.Of(BnnHdl.Zoo.ModelZoo.Build("tiny"));
        using var doc = JsonDocument.Parse(SummaryJson.Format(summary));
        var root = doc.RootElement;
        Assert.Equal(["network", "input_shape", "layers", "totals"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("tiny", root.GetProperty("network").GetString());
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(summary.Layers.Count, layers.Count);
        Assert.Equal(summary.Layers.Sum(l => l.Macs), layers.Sum(l => l.GetProperty("macs").GetInt64()));
        Assert.Equal(summary.Totals.Params, root.GetProperty("totals").GetProperty("params").GetInt64());
        var matmul = layers.Single(l => l.GetProperty("op").GetString() == "ActMatMul");
        Assert.Equal("[[16,16,16],[4,16,16]]", matmul.GetProperty("input_shapes").GetRawText());
    }

    [Fact]
    public void Large_counts_use_thousands_separators()
    {
        var text = SummaryText.Format(NetworkSummary.Of(BnnHdl.Zoo.TinyYoloV2.Build()));
        Assert.EndsWith("total: 24 layers, 3,485,520,896 MACs, 15,855,661 params\n", text, StringComparison.Ordinal);
        Assert.Contains("\nconv8      Conv2d          conv7.act  1024x13x13    1024x13x13  I16   1,594,884,096  9,437,184\n", text,
            StringComparison.Ordinal);
    }
}
