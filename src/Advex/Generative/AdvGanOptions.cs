namespace Advex.Generative;

using Advex.Validation;

/// <summary>
/// How to train AdvGAN. Defaults follow step 000 of the original notes and the reference implementation: ε 0.3 (L∞, δ clamped),
/// adv_lambda 10, pert_lambda 1, C&amp;W margin on probabilities summed over the batch, perturbation loss the batch
/// mean of ‖δ‖₂ (or, with <see cref="HingeBound"/> c, the mean of max(0, ‖δ‖₂ − c)), Adam lr 1e-3 for G and D,
/// batch 128. <see cref="TargetClass"/> null trains an untargeted generator; a class trains a generator for that
/// one target (one generator per target).
/// </summary>
public sealed record AdvGanOptions
{
    public double Eps { get; init; } = 0.3;
    public double AdvLambda { get; init; } = 10;
    public double PertLambda { get; init; } = 1;
    public double? HingeBound { get; init; }
    public MarginSpace Margin { get; init; } = MarginSpace.Probabilities;
    public int? TargetClass { get; init; }
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 128;
    public double Lr { get; init; } = 1e-3;
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="AdvexException"/> naming the first invalid option.</summary>
    public AdvGanOptions Validate(int classes = int.MaxValue)
    {
        Check.Positive(Eps, "eps");
        Check.NonNegative(AdvLambda, "adv-lambda");
        Check.NonNegative(PertLambda, "pert-lambda");
        if (HingeBound is { } c) Check.NonNegative(c, "c");
        if (TargetClass is { } t && (t < 0 || t >= classes))
            throw new AdvexException($"target-class must be in 0..{classes - 1} (got {t})");
        Check.AtLeast(Epochs, 1, "epochs");
        Check.AtLeast(BatchSize, 1, "batch-size");
        Check.Positive(Lr, "lr");
        return this;
    }
}
