namespace Advex.Generative;

using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The classifier-based Inception Score ("MNIST-IS") of Salimans et al. (2016) with a LeNet trained on MNIST in
/// place of Inception: IS = exp(E_x KL(p(y|x) ‖ p(y))), p(y) the mean of p(y|x) over the samples. It lies in
/// [1, classes]: 1 when every sample gets the same class distribution (e.g. constant images), `classes` when each
/// sample is classified with certainty and the classes are used equally. Computed over all samples in one split.
/// </summary>
public static class MnistInceptionScore
{
    /// <summary>The score of pixel images [N, C, H, W] in the scorer's bounds, batch by batch.</summary>
    public static double Score(Classifier scorer, Tensor images, int batchSize = 1000)
    {
        if (images.shape[0] == 0) throw new AdvexException("the inception score needs at least one image");
        using var eval = scorer.EvalMode();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start));
            parts.Add(scorer.Logits(x).to_type(ScalarType.Float64).log_softmax(1));
        }
        return FromLogProbabilities(cat(parts, 0));
    }

    /// <summary>The score of a dataset's images (e.g. real MNIST test images: an upper reference).</summary>
    public static double Score(Classifier scorer, Dataset data, int limit = int.MaxValue)
    {
        using var scope = NewDisposeScope();
        var (x, _) = data.Slice(0, Math.Min(limit, data.Count));
        return Score(scorer, x);
    }

    /// <summary>exp(mean_x Σ_y p(y|x) (log p(y|x) − log p(y))) from log p(y|x) [N, K].</summary>
    public static double FromLogProbabilities(Tensor logp)
    {
        using var scope = NewDisposeScope();
        var p = logp.exp();
        var logMarginal = p.mean([0], keepdim: true).clamp_min(1e-30).log();
        var kl = (p * (logp - logMarginal)).sum(1);
        return Math.Exp(kl.mean().item<double>());
    }
}
