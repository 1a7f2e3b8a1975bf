namespace Advex.Attacks.Core;

using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// Losses that attacks ascend. Per-sample losses are summed, so each sample's gradient is independent of the batch
/// it rides in (the sign and L2-normalised steps are identical to those from a mean). Targeted goals flip the sign:
/// ascending −CE(target) moves toward the target.
/// </summary>
public static class Losses
{
    /// <summary>Σ CE(logits, y) for untargeted goals, −Σ CE(logits, t) for targeted ones.</summary>
    public static Tensor CrossEntropy(Tensor logits, AttackGoal goal)
    {
        var ce = cross_entropy(logits, goal.Classes, reduction: nn.Reduction.Sum);
        return goal.IsTargeted ? ce.neg() : ce;
    }

    /// <summary>Per-sample cross-entropy [N] (no sign flip).</summary>
    public static Tensor CrossEntropyPerSample(Tensor logits, Tensor classes) =>
        cross_entropy(logits, classes, reduction: nn.Reduction.None);
}
