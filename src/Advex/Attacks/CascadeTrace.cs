namespace Advex.Attacks;

/// <summary>
/// What a cascade of attacks did on one batch (host arrays, no tensors): <see cref="BrokenBy"/>[i] is the index of
/// the stage that first met the goal for sample i, or −1 when no stage did (or the sample met it before any attack,
/// in which case no stage ran on it). Per stage: wall seconds, gradient evaluations and forward-only passes
/// (counted in images, see <see cref="Models.Classifier.GradientEvaluations"/>).
/// </summary>
public sealed record CascadeTrace(string[] Stages, int[] BrokenBy, double[] Seconds, long[] GradientEvaluations,
    long[] ForwardPasses);
