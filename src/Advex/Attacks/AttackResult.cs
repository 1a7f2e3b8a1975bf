namespace Advex.Attacks;

using static TorchSharp.torch;

/// <summary>
/// The outcome of one attack on a batch. All tensors live in the caller's dispose scope.
/// <see cref="Success"/> is recomputed from the model's real predictions on <see cref="Adversarial"/>.
/// </summary>
public sealed record AttackResult(
    Tensor Adversarial,
    Tensor Predictions,
    Tensor Success,
    Tensor Linf,
    Tensor L2)
{
    /// <summary>For cascades (AutoAttack): which stage broke each sample, and what each stage cost.</summary>
    public CascadeTrace? Cascade { get; init; }
}
