namespace Advex.Evaluation.Smoothing;

/// <summary>
/// What CERTIFY returns for one input: the smoothed classifier's class ĉ_A, or <see cref="Abstain"/> when the
/// lower confidence bound p̲_A is not above ½, and the certified L2 radius R = σ·Φ⁻¹(p̲_A) (0 when abstaining);
/// with n_A the count of ĉ_A among the n estimation draws.
/// </summary>
public sealed record Certificate(int Prediction, double Radius, long CountA, double PALower)
{
    public const int Abstain = -1;

    public bool Abstained => Prediction == Abstain;
}
