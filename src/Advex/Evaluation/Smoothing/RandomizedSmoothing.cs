namespace Advex.Evaluation.Smoothing;

using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// CERTIFY of randomized smoothing (Cohen, Rosenfeld &amp; Kolter 2019, Algorithm 1 ("certify") and Theorem 1).
/// The smoothed classifier is g(x) = argmax_c P(f(x + ε) = c), ε ~ N(0, σ²I), with f the base classifier:
/// <code>
/// counts₀ ← SampleUnderNoise(f, x, n₀, σ);   ĉ_A ← argmax counts₀
/// counts  ← SampleUnderNoise(f, x, n, σ);    p̲_A ← LowerConfBound(counts[ĉ_A], n, 1 − α)   (one-sided Clopper–Pearson)
/// if p̲_A &gt; ½ return (ĉ_A, R = σ·Φ⁻¹(p̲_A)) else abstain
/// </code>
/// With probability at least 1 − α, g predicts ĉ_A within the L2 ball of radius R. Noise is added to the pixels
/// and is not clipped (as in the paper). Every noise draw j of sample i comes from the counter RNG keyed by (seed,
/// i, phase, j), so the certificate depends neither on the noise batch size nor on which other samples ran.
/// </summary>
public static class RandomizedSmoothing
{
    private static readonly ulong Selection = CounterRng.Hash("certify/selection");
    private static readonly ulong Estimation = CounterRng.Hash("certify/estimation");

    /// <summary>CERTIFY for one input x [C, H, W] with dataset index <paramref name="index"/>.</summary>
    public static Certificate Certify(Classifier model, Tensor x, long index, SmoothingOptions options, long seed)
    {
        var selection = SampleUnderNoise(model, x, seed, index, Selection, options.N0, options.Sigma, options.NoiseBatch);
        var top = Array.IndexOf(selection, selection.Max());
        var counts = SampleUnderNoise(model, x, seed, index, Estimation, options.N, options.Sigma, options.NoiseBatch);
        var pALower = SpecialFunctions.ClopperPearsonLower(counts[top], options.N, options.Alpha);
        return pALower > 0.5
            ? new Certificate(top, Radius(pALower, options.Sigma), counts[top], pALower)
            : new Certificate(Certificate.Abstain, 0, counts[top], pALower);
    }

    /// <summary>R = σ·Φ⁻¹(p̲_A) (Theorem 1 with p̄_B = 1 − p̲_A).</summary>
    public static double Radius(double pALower, double sigma) => sigma * SpecialFunctions.InverseNormalCdf(pALower);

    /// <summary>How often the base classifier predicts each class on <paramref name="count"/> noisy copies of x
    /// (draws 0 … count−1 of the stream).</summary>
    public static long[] SampleUnderNoise(Classifier model, Tensor x, long seed, long index, ulong phase, int count,
        double sigma, int noiseBatch)
    {
        var counts = new long[model.Classes];
        using var eval = model.EvalMode();
        using var grad = no_grad();
        for (var start = 0; start < count; start += noiseBatch)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(noiseBatch, count - start);
            var keys = Enumerable.Range(start, rows)
                .Select(j => CounterRng.Key(unchecked((ulong)seed), unchecked((ulong)index), phase, (ulong)j)).ToArray();
            var noisy = x.unsqueeze(0) + Gaussian(keys, x.shape).mul_(sigma);
            var predictions = model.Logits(noisy).argmax(1).bincount(null, model.Classes).data<long>().ToArray();
            for (var c = 0; c < counts.Length; c++) counts[c] += predictions[c];
        }
        return counts;
    }

    /// <summary>Standard normal rows [keys, ...shape] by Box–Muller on both outputs: from uniforms (u₁, u₂),
    /// z = √(−2 ln u₁)·(cos 2πu₂, sin 2πu₂); each row draws 2·⌈D/2⌉ uniforms of its key.</summary>
    public static Tensor Gaussian(ulong[] keys, long[] shape)
    {
        using var scope = NewDisposeScope();
        var d = shape.Aggregate(1L, (a, b) => a * b);
        var half = (d + 1) / 2;
        var u = CounterRng.Uniform(keys, 2 * half);
        var r = u[.., ..(int)half].log().mul_(-2).sqrt_();
        var theta = u[.., (int)half..].mul(2 * Math.PI);
        var z = cat([r * theta.cos(), r * theta.sin()], 1)[.., ..(int)d];
        return z.to_type(ScalarType.Float32).reshape([keys.Length, .. shape]).MoveToOuterDisposeScope();
    }
}
