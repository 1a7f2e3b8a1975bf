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

    /// <summary>Per-sample ‖x' − x‖₁ [N] (set by <c>Attack.Run</c>).</summary>
    public Tensor? L1 { get; init; }

    /// <summary>Per-sample ‖x' − x‖₀ [N], the number of changed coordinates (set by <c>Attack.Run</c>).</summary>
    public Tensor? L0 { get; init; }

    /// <summary>The per-sample norms in <paramref name="norm"/> (L1 and L0 when <c>Attack.Run</c> set them).</summary>
    public Tensor? Norms(Norm norm) => norm switch { Norm.Linf => Linf, Norm.L2 => L2, Norm.L1 => L1, _ => L0 };
}
