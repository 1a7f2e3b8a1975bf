namespace Advex.Evaluation.Smoothing;

using Advex.Validation;

/// <summary>
/// CERTIFY's parameters (Cohen, Rosenfeld &amp; Kolter 2019, "Certified Adversarial Robustness via Randomized
/// Smoothing"): the noise level σ (Gaussian, on pixels in [0, 1]), the n₀ draws that select the top class, the n
/// draws that estimate its probability, and the failure probability α of the certificate. Noise is drawn in batches
/// of <see cref="NoiseBatch"/> (a memory/speed trade-off that never changes the numbers).
/// </summary>
public sealed record SmoothingOptions
{
    public SmoothingOptions(double sigma, int n0 = 100, int n = 100_000, double alpha = 0.001, int noiseBatch = 1000)
    {
        Sigma = Check.Positive(sigma, "sigma");
        N0 = Check.AtLeast(n0, 1, "n0");
        N = Check.AtLeast(n, 1, "n");
        Alpha = alpha > 0 && alpha < 0.5 ? alpha : throw AdvexException.About($"alpha must be in (0, 0.5) (got {alpha})", "alpha");
        NoiseBatch = Check.AtLeast(noiseBatch, 1, "noise-batch");
    }

    public double Sigma { get; }
    public int N0 { get; }
    public int N { get; }
    public double Alpha { get; }
    public int NoiseBatch { get; }
}
