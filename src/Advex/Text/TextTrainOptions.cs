namespace Advex.Text;

using Advex.Validation;

/// <summary>
/// How to train the sentiment <see cref="TextCnn"/>: Adam (lr 1e-3), batch 50, dropout 0.5, sentences cut at 64
/// tokens; <see cref="Adv"/> none, fgm or pgd (parameter-space, on the embedding; ε = 1, α = 0.3, K = 3 as in step 002 of the original notes);
/// evaluated at the end with <see cref="EmbeddingPgd"/> of each radius in <see cref="AttackEps"/> per sentence and
/// <see cref="AttackSteps"/> steps.
/// </summary>
public sealed record TextTrainOptions
{
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 50;
    public double Lr { get; init; } = 1e-3;
    public int Seed { get; init; }
    public double Dropout { get; init; } = 0.5;
    public int Filters { get; init; } = 100;
    public int MaxLength { get; init; } = 64;
    public string Adv { get; init; } = "none";
    public double Eps { get; init; } = 1.0;
    public double Alpha { get; init; } = 0.3;
    public int AdvSteps { get; init; } = 3;
    /// <summary>Radii of the evaluation attack; the reported robust accuracy is at the largest.</summary>
    public IReadOnlyList<double> AttackEps { get; init; } = [0.25, 0.5, 1.0];
    public int AttackSteps { get; init; } = 10;

    /// <summary>Throws an <see cref="AdvexException"/> naming the first invalid option.</summary>
    public TextTrainOptions Validate()
    {
        Check.AtLeast(Epochs, 1, "epochs");
        Check.AtLeast(BatchSize, 1, "batch-size");
        Check.Positive(Lr, "lr");
        Check.InRange(Dropout, 0, 0.99, "dropout");
        Check.AtLeast(Filters, 1, "filters");
        Check.AtLeast(MaxLength, SentimentDataset.MinBatchLength, "max-length");
        if (Adv is not ("none" or "fgm" or "pgd")) throw AdvexException.About($"unknown adv '{Adv}' (expected none, fgm or pgd)", "adv");
        Check.Positive(Eps, "eps");
        Check.Positive(Alpha, "alpha");
        Check.AtLeast(AdvSteps, 1, "adv-steps");
        if (AttackEps.Count == 0) throw new AdvexException("attack-eps: empty list");
        foreach (var e in AttackEps) Check.NonNegative(e, "attack-eps");
        Check.AtLeast(AttackSteps, 1, "attack-steps");
        return this;
    }
}
