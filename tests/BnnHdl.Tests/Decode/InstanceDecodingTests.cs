using BnnHdl.Decode;
using BnnHdl.Network;
using BnnHdl.Reference;
using BnnHdl.Tests.Cli;

namespace BnnHdl.Tests.Decode;

/// <summary>Host decoding of SparseInst's heads, and `bnn-hdl infer` end to end.</summary>
public sealed class InstanceDecodingTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Instances_get_their_best_class_a_mask_at_the_input_size_and_a_mask_rescored_score()
    {
        // 2 classes x 3 instances; instance 2 scores sqrt(sigmoid(-20) / 2) < 0.005 and is dropped.
        var logits = TensorData.Create(new Shape(2, 1, 3), DataType.I(8), [0, 3, -20, 5, 0, -20]);
        var objectness = TensorData.Create(new Shape(1, 1, 3), DataType.I(8), [0, 0, 0]);
        // 2 x 2 mask logits per instance; 0 is inside (sigmoid 0.5 > 0.45), -2 outside.
        var masks = TensorData.Create(new Shape(3, 2, 2), DataType.I(8), [2, -2, -2, -2, 1, 1, 1, 0, 9, 9, 9, 9]);
        var found = InstanceDecoding.Decode(logits, objectness, masks, 4, 4);

        Assert.Equal([0, 1], found.Select(f => f.Index));
        Assert.Equal([1, 0], found.Select(f => f.Class));
        Assert.Equal([4, 16], found.Select(f => f.Pixels));
        // Nearest upsampling: the top-left logit covers the top-left 2 x 2 pixels.
        Assert.Equal([true, true, false, false, true, true, false, false], found[0].Mask.Take(8));
        Assert.Equal(Math.Sqrt(Sigmoid(5) * 0.5) * Sigmoid(2), found[0].Score, 12);
        Assert.Equal(Math.Sqrt(Sigmoid(3) * 0.5) * (12 * Sigmoid(1) + 4 * Sigmoid(0)) / 16, found[1].Score, 12);
    }

    [Fact]
    public void Infer_writes_a_summary_and_one_mask_per_instance_the_same_bytes_twice()
    {
        using var dir = new CliRunner.TempDir();
        var rgb = new byte[64 * 64 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7 % 251);
        File.WriteAllBytes(dir.File("in.ppm"), [.. "P6 64 64 255\n"u8, .. rgb]);
        // The template's neutral weights (all +1, identity batch norms) make every class and
        // objectness logit positive, so all 100 instances are kept.
        Assert.Equal(0, CliRunner.Run("weights-template", "--model", "mscan-t-sparseinst", "--input", "3,64,64", "--out", dir.File("w.npz")).ExitCode);
        string[] Run(string o) =>
        [
            .. CliRunner.Run("infer", "--model", "mscan-t-sparseinst", "--input", "3,64,64", "--image", dir.File("in.ppm"),
                "--weights", dir.File("w.npz"), "--out", dir.File(o)) is var r && r.ExitCode == 0
                ? Directory.GetFiles(dir.File(o)).Order().Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
                : throw new Xunit.Sdk.XunitException(r.Error),
        ];
        var first = Run("a");
        Assert.Equal(first, Run("b"));
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("a"), "summary.json"))).RootElement;
        var instances = summary.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal("mscan-t-sparseinst", summary.GetProperty("model").GetString());
        Assert.Equal(100, instances.Count);
        Assert.Equal(instances.Count + 1, first.Length);
        Assert.All(instances, i => Assert.True(File.Exists(Path.Combine(dir.File("a"), i.GetProperty("mask").GetString()!))));
        // Best first.
        Assert.Equal(instances.Select(i => i.GetProperty("score").GetDouble()).OrderDescending(), instances.Select(i => i.GetProperty("score").GetDouble()));
    }

    [Fact]
    public void Cosim_decodes_the_rtl_outputs_into_the_instances_infer_finds()
    {
        // A small MSCAN-T + SparseInst (32 x 32, width 16, 4 instances) with the template's
        // neutral weights (every instance kept) and the seeded input: the RTL's outputs, run in
        // Verilator and decoded by cosim --decode, give byte for byte the folder infer writes
        // from the reference model.
        using var dir = new CliRunner.TempDir();
        string[] net = ["--model", "mscan-t-sparseinst", "--input", "3,32,32", "--decoder-width", "16", "--instances", "4"];
        Assert.Equal(0, CliRunner.Run(["weights-template", .. net, "--out", dir.File("w.npz")]).ExitCode);
        var infer = CliRunner.Run(["infer", .. net, "--weights", dir.File("w.npz"), "--out", dir.File("inf")]);
        Assert.True(infer.ExitCode == 0, infer.Error);
        Assert.StartsWith("'mscan-t-sparseinst' on seeded random input (seed 1): 4 instance(s); best: instance ", infer.Out);
        var cosim = CliRunner.Run(["cosim", .. net, "--weights", dir.File("w.npz"), "--pe", "8", "--lanes", "16", "--rtl", dir.File("rtl"), "--decode", dir.File("dec")]);
        Assert.True(cosim.ExitCode == 0, cosim.Error);
        Assert.Contains("cosim: decoded the RTL's outputs: 4 instance(s)", cosim.Error);
        string[] Files(string d) => [.. Directory.GetFiles(dir.File(d)).Order().Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))];
        Assert.Equal(5, Files("dec").Length);
        Assert.Equal(Files("inf"), Files("dec"));
    }

    [Theory]
    [InlineData("infer")]
    [InlineData("cosim")]
    public void Decoding_a_network_without_sparseinst_heads_is_refused_in_one_line(string command)
    {
        using var dir = new CliRunner.TempDir();
        File.WriteAllBytes(dir.File("in.ppm"), [.. "P6 32 32 255\n"u8, .. new byte[32 * 32 * 3]]);
        string[] args = command == "infer"
            ? ["infer", "--model", "tiny", "--image", dir.File("in.ppm"), "--out", dir.File("o")]
            : ["cosim", "--model", "tiny", "--pe", "4", "--lanes", "8", "--rtl", dir.File("rtl"), "--decode", dir.File("o")];
        var r = CliRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("bnn-hdl: error: 'tiny' has no SparseInst heads to decode (missing outputs 'decoder.inst_branch.cls_score', 'decoder.inst_branch.objectness', 'decoder.masks'); only the *-sparseinst models decode\n", r.Error);
        Assert.False(Directory.Exists(dir.File("o")));
        Assert.False(Directory.Exists(dir.File("rtl")));
    }
}
