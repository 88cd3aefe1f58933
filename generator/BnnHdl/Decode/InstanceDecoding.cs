using BnnHdl.Reference;

namespace BnnHdl.Decode;

/// <summary>One decoded instance: its row among the N, class, score, and its binary mask at the input size.</summary>
public sealed record Instance(int Index, int Class, double Score, bool[] Mask, int Height, int Width)
{
    public int Pixels => Mask.Count(m => m);
}

/// <summary>
/// Host decoding of SparseInst's heads (SPEC 4: after the last engine operation, not part of
/// the bit-exact contract, deterministic), after hustvl/SparseInst's inference: per instance
/// score = sqrt(sigmoid(class logit) x sigmoid(objectness)) for its best class; instances
/// above <see cref="ScoreThreshold"/> keep their mask, sigmoid(mask logit) &gt; 0.45 upsampled
/// to the input (nearest, from 1/8), and are rescored by their mask-ness (the mean mask
/// probability inside the mask); sorted by score, best first. The raw accumulators are read
/// as logits in units of <paramref name="logitScale"/>.
/// </summary>
public static class InstanceDecoding
{
    public const double ScoreThreshold = 0.005, MaskThreshold = 0.45;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <param name="logits">Class logits, classes x 1 x N.</param>
    /// <param name="objectness">1 x 1 x N.</param>
    /// <param name="masks">Mask logits, N x h x w.</param>
    public static IReadOnlyList<Instance> Decode(TensorData logits, TensorData objectness, TensorData masks, int height, int width, double logitScale = 1)
    {
        int classes = logits.Shape.C, n = logits.Shape.W, h = masks.Shape.H, w = masks.Shape.W;
        var found = new List<Instance>();
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[c, 0, i] > logits[best, 0, i]) best = c;
            double score = Math.Sqrt(Sigmoid(logits[best, 0, i] * logitScale) * Sigmoid(objectness[0, 0, i] * logitScale));
            if (score <= ScoreThreshold) continue;
            var mask = new bool[height * width];
            double inside = 0;
            int pixels = 0;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double p = Sigmoid(masks[i, (int)((long)y * h / height), (int)((long)x * w / width)] * logitScale);
                    if (p <= MaskThreshold) continue;
                    mask[y * width + x] = true;
                    inside += p;
                    pixels++;
                }
            double maskness = pixels == 0 ? 0 : inside / pixels;
            found.Add(new Instance(i, best, score * maskness, mask, height, width));
        }
        return found.OrderByDescending(f => f.Score).ThenBy(f => f.Index).ToList();
    }
}
