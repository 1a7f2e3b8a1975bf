namespace Advex.Evaluation.Smoothing;

/// <summary>One sample of <c>certify.json</c>: the smoothed prediction (−1 = abstain) and its certified L2 radius.</summary>
public sealed record CertifiedSample(long Index, long Label, int Prediction, bool Correct, double Radius);

/// <summary>
/// <c>certify.json</c>: CERTIFY's parameters, the certified accuracy at each radius r (the fraction of samples
/// whose smoothed prediction is correct with a certified radius ≥ r; a key per radius, "0.25"), the abstention rate
/// and every sample's prediction and radius.
/// </summary>
public sealed record CertifyReport
{
    public required string Schema { get; init; }
    public required double Sigma { get; init; }
    public required int N0 { get; init; }
    public required int N { get; init; }
    public required double Alpha { get; init; }
    public required int Seed { get; init; }
    public required ModelInfo Model { get; init; }
    public required DataInfo Data { get; init; }
    public required SortedDictionary<string, double> CertifiedAccuracy { get; init; }
    public required double AbstainRate { get; init; }
    /// <summary>Accuracy of the smoothed classifier's prediction (abstentions count as wrong) = certified accuracy at 0.</summary>
    public required double SmoothedAccuracy { get; init; }
    public required double Seconds { get; init; }
    public required IReadOnlyList<CertifiedSample> Samples { get; init; }
    public required Provenance Provenance { get; init; }
}
