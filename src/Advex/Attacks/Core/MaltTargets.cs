namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// MALT's target ranking (Melamed, Yehudai &amp; Shamir, NeurIPS 2024, "MALT Powers Up Adversarial Attacks"). For a
/// sample with logits z, label y and clean prediction π = argmax z, each candidate class j (the
/// <see cref="Candidates"/> highest logits other than y) gets the distance to its linearised boundary
/// <code>
///   d_j = (z_π − z_j) / ‖∇ₓ(z_j − z_y)‖_q        q = 1 for L∞, 2 for L2 (∞ for L1): the dual norm
/// </code>
/// and the targets are the candidates with the smallest d_j, nearest first (ties keep the logit order). As in the
/// authors' code, a candidate whose gradient is all zero gets d_j = 0. Costs one gradient evaluation per candidate
/// and sample (rows sample × candidate go through the model together), counted in the context.
/// </summary>
public static class MaltTargets
{
    /// <summary>The paper's number of candidate classes examined (the highest logits).</summary>
    public const int Candidates = 100;

    /// <summary>Rows per backward pass (samples × candidates), to bound memory on many classes.</summary>
    private const int ChunkRows = 2048;

    /// <summary>[n, k] int64 targets per sample, nearest first, k = min(count, candidates, classes − 1).</summary>
    public static Tensor Rank(Classifier model, Tensor x, Tensor labels, int count, Norm norm, AttackContext context,
        int candidates = Candidates)
    {
        using var scope = NewDisposeScope();
        var (candidate, distance) = Distances(model, x, labels, norm, candidates);
        context.CountGradients(candidate.shape[1]);
        var k = (int)Math.Min(count, candidate.shape[1]);
        var order = distance.sort(1, stable: true).Indices.narrow(1, 0, k);
        return candidate.gather(1, order).MoveToOuterDisposeScope();
    }

    /// <summary>The candidates [n, m] (highest logit first) and their distances d_j [n, m] (float64).</summary>
    public static (Tensor Candidates, Tensor Distances) Distances(Classifier model, Tensor x, Tensor labels, Norm norm,
        int candidates = Candidates)
    {
        using var scope = NewDisposeScope();
        var classes = model.Classes;
        var m = Math.Min(candidates, classes - 1);
        Tensor logits;
        using (no_grad()) logits = model.Logits(x).to_type(ScalarType.Float64);
        var own = nn.functional.one_hot(labels, classes).to_type(ScalarType.Bool);
        var candidate = logits.masked_fill(own, double.NegativeInfinity).topk(m, 1).indexes;
        var top = logits.gather(1, logits.argmax(1).unsqueeze(1));
        var gap = top - logits.gather(1, candidate);                                    // z_π − z_j
        var norms = DualNorms(model, x, labels, candidate, norm);                        // ‖∇ₓ(z_j − z_y)‖_q
        var distance = where(norms.gt(0), gap / norms.clamp_min(double.Epsilon), zeros_like(gap));
        return (candidate.MoveToOuterDisposeScope(), distance.MoveToOuterDisposeScope());
    }

    /// <summary>‖∇ₓ(z_j − z_y)‖_q [n, m] in float64, one backward pass over rows sample × candidate per chunk.</summary>
    private static Tensor DualNorms(Classifier model, Tensor x, Tensor labels, Tensor candidate, Norm norm)
    {
        var (n, m) = (x.shape[0], candidate.shape[1]);
        var perChunk = Math.Max(1, ChunkRows / m);
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += perChunk)
        {
            using var scope = NewDisposeScope();
            var k = Math.Min(perChunk, n - start);
            var rows = x.narrow(0, start, k).repeat_interleave(m, 0);
            var toward = nn.functional.one_hot(candidate.narrow(0, start, k).flatten(), model.Classes);
            var away = nn.functional.one_hot(labels.narrow(0, start, k).repeat_interleave(m), model.Classes);
            var weights = (toward - away).to_type(ScalarType.Float32);
            var (g, _) = Gradients.Of(model, rows, z => (z * weights.to_type(z.dtype)).sum());
            var flat = g.flatten(1).to_type(ScalarType.Float64);
            var dual = norm switch
            {
                Norm.Linf => flat.abs().sum(1),
                Norm.L2 => flat.square().sum(1).sqrt(),
                _ => flat.abs().amax([1]),
            };
            parts.Add(dual.view(k, m).MoveToOuterDisposeScope());
        }
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
