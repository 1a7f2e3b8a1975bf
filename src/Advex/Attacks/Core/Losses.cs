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

    /// <summary>The margin [N]: z_c − max_{k≠c} z_k (untargeted, c the label) or max_{k≠c} z_k − z_c (targeted, c the
    /// target); negative exactly when the goal is met. The excluded class is masked with −∞.</summary>
    public static Tensor Margin(Tensor logits, Tensor classes, bool targeted)
    {
        using var scope = NewDisposeScope();
        var own = logits.gather(1, classes.unsqueeze(1)).squeeze(1);
        var isOwn = one_hot(classes, logits.shape[1]).to_type(ScalarType.Bool);
        var other = logits.masked_fill(isOwn, double.NegativeInfinity).amax([1]);
        return (targeted ? other - own : own - other).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Difference of Logits Ratio (Croce &amp; Hein 2020), per sample [N], to be ascended:
    /// DLR(z, y) = −(z_y − max_{i≠y} z_i) / (z_{π1} − z_{π3} + 1e-12), with π the logits sorted in decreasing order.
    /// Invariant to shifting and to positive scaling of the logits (up to the 1e-12). Needs at least 3 classes.
    /// </summary>
    public static Tensor Dlr(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var sorted = logits.sort(1, descending: true).Values;
        var scale = sorted[.., 0] - sorted[.., 2] + 1e-12;
        return (Margin(logits, labels, targeted: false).neg() / scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Targeted DLR (Croce &amp; Hein 2020), per sample [N], to be ascended toward target t:
    /// DLR_t(z, y, t) = −(z_y − z_t) / (z_{π1} − ½(z_{π3} + z_{π4}) + 1e-12). Needs at least 4 classes.
    /// </summary>
    public static Tensor DlrTargeted(Tensor logits, Tensor labels, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var sorted = logits.sort(1, descending: true).Values;
        var zy = logits.gather(1, labels.unsqueeze(1)).squeeze(1);
        var zt = logits.gather(1, targets.unsqueeze(1)).squeeze(1);
        var scale = sorted[.., 0] - 0.5 * (sorted[.., 2] + sorted[.., 3]) + 1e-12;
        return ((zy - zt).neg() / scale).MoveToOuterDisposeScope();
    }
}
