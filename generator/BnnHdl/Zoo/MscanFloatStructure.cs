using System.Globalization;

namespace BnnHdl.Zoo;

/// <summary>One learnable tensor of a float network: its PyTorch state-dict name and shape.</summary>
public sealed record FloatParameter(string Name, int[] Shape)
{
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);
}

/// <summary>
/// The learnable parameters of the float MSCAN backbone, named as the official code's state
/// dict (<c>mmseg/models/backbones/mscan.py</c> of Visual-Attention-Network/SegNeXt): the
/// stem <c>patch_embed1.proj</c> (conv 3x3 s2 to C/2 with bias, BN, GELU, conv 3x3 s2 to C with
/// bias, BN), the stage downsamplers <c>patch_embed{i}.proj</c> / <c>.norm</c>, the blocks
/// <c>block{i}.{j}</c> (BN <c>norm1</c>, <c>attn.proj_1</c>, the attention module
/// <c>attn.spatial_gating_unit.conv0 .. conv3</c>, <c>attn.proj_2</c>, BN <c>norm2</c>, the MLP
/// <c>mlp.fc1</c>, <c>mlp.dwconv.dwconv</c>, <c>mlp.fc2</c>, <c>layer_scale_1/2</c>) and the stage
/// LayerNorms <c>norm{i}</c>. Batch-norm running statistics are buffers, not parameters; every
/// convolution has a bias. This is the structure the binary network in <see cref="Mscan"/> maps
/// (and the names a weight import reads); its count is what the paper's parameter column counts.
/// </summary>
public static class MscanFloatStructure
{
    public static IReadOnlyList<FloatParameter> Parameters(MscanVariant v)
    {
        var list = new List<FloatParameter>();
        void Conv(string name, int oc, int icPerGroup, int kh, int kw)
        {
            list.Add(new(name + ".weight", [oc, icPerGroup, kh, kw]));
            list.Add(new(name + ".bias", [oc]));
        }
        void Norm(string name, int c)
        {
            list.Add(new(name + ".weight", [c]));
            list.Add(new(name + ".bias", [c]));
        }
        string I(int i) => i.ToString(CultureInfo.InvariantCulture);

        int c0 = v.Channels[0];
        Conv("patch_embed1.proj.0", c0 / 2, 3, 3, 3);
        Norm("patch_embed1.proj.1", c0 / 2);
        Conv("patch_embed1.proj.3", c0, c0 / 2, 3, 3);
        Norm("patch_embed1.proj.4", c0);
        for (int s = 0; s < 4; s++)
        {
            int d = v.Channels[s], hidden = d * v.MlpRatios[s];
            if (s > 0)
            {
                Conv($"patch_embed{I(s + 1)}.proj", d, v.Channels[s - 1], 3, 3);
                Norm($"patch_embed{I(s + 1)}.norm", d);
            }
            for (int j = 0; j < v.Depths[s]; j++)
            {
                string blk = $"block{I(s + 1)}.{I(j)}";
                Norm(blk + ".norm1", d);
                Conv(blk + ".attn.proj_1", d, d, 1, 1);
                string sgu = blk + ".attn.spatial_gating_unit";
                Conv(sgu + ".conv0", d, 1, 5, 5);
                for (int k = 0; k < MscanVariant.StripKernels.Count; k++)
                {
                    int kk = MscanVariant.StripKernels[k];
                    Conv($"{sgu}.conv{I(k)}_1", d, 1, 1, kk);
                    Conv($"{sgu}.conv{I(k)}_2", d, 1, kk, 1);
                }
                Conv(sgu + ".conv3", d, d, 1, 1);
                Conv(blk + ".attn.proj_2", d, d, 1, 1);
                list.Add(new(blk + ".layer_scale_1", [d]));
                list.Add(new(blk + ".layer_scale_2", [d]));
                Norm(blk + ".norm2", d);
                Conv(blk + ".mlp.fc1", hidden, d, 1, 1);
                Conv(blk + ".mlp.dwconv.dwconv", hidden, 1, 3, 3);
                Conv(blk + ".mlp.fc2", d, hidden, 1, 1);
            }
            Norm($"norm{I(s + 1)}", d);
        }
        return list;
    }

    public static long Count(MscanVariant v) => Parameters(v).Sum(p => p.Count);
}
