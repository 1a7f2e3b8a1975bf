namespace Advex.Evaluation.Smoothing;

/// <summary>
/// One certified sample, one line of a certification's <c>samples.jsonl</c>: the smoothed prediction (−1 =
/// abstain), whether it is the true label, the certified L2 radius, n_A and p̲_A, and the seconds it took.
/// </summary>
public sealed record CertifyRecord(long Index, long Label, int Prediction, bool Correct, double Radius, long CountA,
    double PALower, double Seconds)
{
    public CertifyRecord WithoutTiming() => this with { Seconds = 0 };
}
