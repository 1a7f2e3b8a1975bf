namespace Advex.Text;

using Advex.Validation;
using Advex.Data;
using static TorchSharp.torch;

/// <summary>
/// The evaluation attack for text classifiers: L2 PGD on the embedded sequence (Miyato et al. 2017's threat model),
/// not on the weights. Each sentence's embeddings e [L, D] get a perturbation δ on its real tokens only (padding
/// positions stay untouched), with ‖δ‖₂ ≤ ε over the whole sentence (all tokens and dimensions together). No random
/// start; K steps of δ ← Π_ε(δ + α·g/‖g‖₂) on the cross-entropy of the true label, the model in eval mode. A sentence
/// counts as robust only if the model is right on it clean and after every step (per-sample worst case).
/// </summary>
public sealed record EmbeddingPgd
{
    public EmbeddingPgd(double eps, int steps = 10, double? stepSize = null)
    {
        Eps = Check.NonNegative(eps, "attack-eps");
        Steps = Check.AtLeast(steps, 1, "attack-steps");
        StepSize = Check.Positive(stepSize ?? Math.Max(2.5 * eps / steps, 1e-12), "attack step size");
    }

    /// <summary>L2 radius per sentence.</summary>
    public double Eps { get; }

    public int Steps { get; }

    /// <summary>α; default 2.5·ε/K (Madry et al.).</summary>
    public double StepSize { get; }

    /// <summary>Accuracy under the attack over the whole split (every sentence counted).</summary>
    public double RobustAccuracy(TextCnn model, SentimentDataset data, int batchSize = 300)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            long robust = 0;
            foreach (var idx in Batching.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                var (ids, y) = data.Batch(idx);
                robust += RobustMask(model, ids, y).sum().item<long>();
            }
            return (double)robust / data.Count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Per sentence, true when the model stays right through the whole attack [N] (bool).</summary>
    public Tensor RobustMask(TextCnn model, Tensor ids, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor embedded;
        using (no_grad()) embedded = model.Embed(ids).detach();
        var mask = ids.ne(Vocabulary.Pad).unsqueeze(2).to_type(embedded.dtype);
        Tensor robust;
        using (no_grad()) robust = model.ForwardEmbedded(embedded).argmax(1).eq(y);
        var delta = zeros_like(embedded);
        for (var k = 0; k < Steps && Eps > 0; k++)
        {
            Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
            using var step = NewDisposeScope();
            Tensor g;
            using (enable_grad())
            {
                var d = delta.detach().requires_grad_(true);
                var loss = nn.functional.cross_entropy(model.ForwardEmbedded(embedded + d), y, reduction: nn.Reduction.Sum);
                g = autograd.grad([loss], [d])[0] * mask;
            }
            using (no_grad())
            {
                var next = Project(delta + StepSize * g / PerSampleNorm(g).clamp_min(1e-12), Eps);
                var still = model.ForwardEmbedded(embedded + next).argmax(1).eq(y);
                robust = robust.logical_and(still).MoveToOuterDisposeScope();
                delta.Dispose();
                delta = next.MoveToOuterDisposeScope();
            }
        }
        return robust.MoveToOuterDisposeScope();
    }

    /// <summary>Scales each sample of δ [N, L, D] into the L2 ball of radius ε.</summary>
    public static Tensor Project(Tensor delta, double eps)
    {
        using var scope = NewDisposeScope();
        var norm = PerSampleNorm(delta);
        return (delta * (eps / norm.clamp_min(1e-12)).clamp_max(1.0)).MoveToOuterDisposeScope();
    }

    /// <summary>‖x_i‖₂ over all but the first dimension, shaped [N, 1, 1] for broadcasting.</summary>
    public static Tensor PerSampleNorm(Tensor x) => x.flatten(1).norm(1, keepdim: true).unsqueeze(2);
}
