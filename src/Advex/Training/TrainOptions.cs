namespace Advex.Training;

using Advex.Validation;
using Advex.Models;

/// <summary>
/// How to train a classifier. Defaults are the quick, reliable MNIST recipe (Adam 1e-3, batch 64, 5 epochs);
/// seed 004's recipe is <c>Optimizer = "sgd", Lr = 1e-2, Momentum = 0.9, Nesterov = true, WeightDecay = 5e-4,
/// Plateau = true</c> (factor 0.5, patience 5, min lr 1e-6, on the test loss).
/// <c>LrSchedule = "one-cycle"</c> is Wong et al.'s (2020) cyclic schedule, set per batch: the lr rises linearly from
/// 0 to <see cref="Lr"/> over the first 2/5 of training and falls linearly back to 0 at the end.
/// </summary>
public sealed record TrainOptions
{
    public string Architecture { get; init; } = "lenet";
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 64;
    public string Optimizer { get; init; } = "adam";
    public double Lr { get; init; } = 1e-3;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; }
    public bool Plateau { get; init; }
    public double PlateauFactor { get; init; } = 0.5;
    public int PlateauPatience { get; init; } = 5;
    public double MinLr { get; init; } = 1e-6;
    /// <summary>constant (the default, optionally with <see cref="Plateau"/>) or one-cycle.</summary>
    public string LrSchedule { get; init; } = "constant";
    public int Seed { get; init; }
    public Normalization? Normalization { get; init; }
    /// <summary>Gaussian data augmentation: every training image becomes x + N(0, σ²I) (not clipped), a fresh draw per
    /// epoch, to train the base classifier of randomized smoothing (Cohen et al. 2019, §4); 0 = off.</summary>
    public double NoiseSigma { get; init; }

    /// <summary>Throws an <see cref="AdvexException"/> naming the first invalid option.</summary>
    public TrainOptions Validate()
    {
        Check.AtLeast(Epochs, 1, "epochs");
        Check.AtLeast(BatchSize, 1, "batch-size");
        Check.Positive(Lr, "lr");
        Check.InRange(Momentum, 0, 1, "momentum");
        Check.NonNegative(WeightDecay, "weight-decay");
        Check.NonNegative(NoiseSigma, "noise-sigma");
        Check.InRange(PlateauFactor, 1e-9, 1 - 1e-9, "plateau-factor");
        if (Optimizer is not ("adam" or "sgd")) throw new AdvexException($"unknown optimizer '{Optimizer}' (expected adam or sgd)");
        if (!Architectures.Names.Contains(Architecture))
            throw new AdvexException($"unknown model '{Architecture}' (expected one of: {string.Join(", ", Architectures.Names)})");
        if (LrSchedule is not ("constant" or "one-cycle"))
            throw new AdvexException($"unknown lr schedule '{LrSchedule}' (expected constant or one-cycle)");
        if (Plateau && LrSchedule != "constant") throw AdvexException.About("plateau needs lr-schedule constant", "plateau", "lr-schedule");
        if (Nesterov && (Optimizer != "sgd" || Momentum <= 0)) throw AdvexException.About("nesterov needs optimizer sgd and momentum > 0", "nesterov", "optimizer", "momentum");
        return this;
    }
}
