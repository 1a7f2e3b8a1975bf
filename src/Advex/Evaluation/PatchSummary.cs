namespace Advex.Evaluation;

using Advex.Attacks.Patch;

/// <summary><c>patch.json</c>.</summary>
/// <param name="SuccessRate">held-out images of another class than the target that the patch sends to the target</param>
/// <param name="Attempted">how many held-out images that rate is over</param>
/// <param name="CleanTargetRate">the same images predicted as the target without the patch (the baseline)</param>
public sealed record PatchSummary(int Target, long[] Shape, double Size, double MinScale, double MaxScale, double MaxRotation,
    int TrainCount, int HeldoutCount, IReadOnlyList<PatchEpoch> Epochs, double SuccessRate, int Attempted,
    double CleanTargetRate, double Seconds, string Patch);
