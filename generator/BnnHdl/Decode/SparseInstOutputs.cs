using BnnHdl.Network;
using BnnHdl.Reference;

namespace BnnHdl.Decode;

/// <summary>
/// The three outputs of a SparseInst decoder (as the zoo names them) and their decoding into
/// instances, from whichever model computed them: the reference (`infer`) or the RTL (`cosim
/// --decode`), which agree bit for bit when the co-simulation passes.
/// </summary>
public static class SparseInstOutputs
{
    public const string Logits = "decoder.inst_branch.cls_score", Objectness = "decoder.inst_branch.objectness", Masks = "decoder.masks";

    /// <summary>Fails with one line when the network has no SparseInst heads to decode.</summary>
    public static void Check(Graph g)
    {
        var missing = new[] { Logits, Objectness, Masks }.Where(o => !g.Outputs.Contains(o)).ToList();
        if (missing.Count > 0)
            throw new BnnHdlException($"'{g.Name}' has no SparseInst heads to decode (missing outputs {string.Join(", ", missing.Select(m => $"'{m}'"))}); only the *-sparseinst models decode");
    }

    /// <summary>The instances of one run, best first, masks at the network's input size.</summary>
    public static IReadOnlyList<Instance> Decode(Graph g, Func<string, TensorData> output)
    {
        var input = g.Input.Output.Shape;
        return InstanceDecoding.Decode(output(Logits), output(Objectness), output(Masks), input.H, input.W);
    }

    /// <summary>A one-line account of what was decoded, for the console.</summary>
    public static string Describe(IReadOnlyList<Instance> instances) => instances.Count == 0 ? "no instance"
        : FormattableString.Invariant($"{instances.Count} instance(s); best: instance {instances[0].Index}, class {instances[0].Class}, score {instances[0].Score:0.###}, {instances[0].Pixels} pixels");
}
