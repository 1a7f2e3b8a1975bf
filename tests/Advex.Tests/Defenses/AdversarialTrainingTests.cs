namespace Advex.Tests.Defenses;

using Advex.Data;
using Advex.Defenses;
using Advex.Training;

public sealed class AdversarialTrainingTests
{
    [Fact]
    public void PgdAt_raises_heldout_pgd_accuracy_over_standard_training_of_the_same_model_and_seed()
    {
        using var all = DataSource.Load("mnist", "train");
        using var slice = all.Take(4000);
        var (train, heldout) = Hardening.Split(slice, 1000);
        using var _ = train;
        using var __ = heldout;
        using var allTest = DataSource.Load("mnist", "test");
        using var test = allTest.Take(200);
        var options = new TrainOptions { Epochs = 2, Seed = 11 };
        const double eps = 0.1;

        using var standard = new Trainer().Train(train, test, options).Model;
        using var hardening = new Hardening(new AdversarialTraining("pgd", eps, steps: 7), heldout, options.Seed);
        var hardened = hardening.Apply(new Trainer()).Train(train, test, options);
        using var robustModel = hardened.Model;

        var (stdClean, stdPgd) = Hardening.HeldoutAccuracy(standard, heldout, eps, 10, seed: 1);
        var (advClean, advPgd) = Hardening.HeldoutAccuracy(robustModel, heldout, eps, 10, seed: 1);
        Assert.True(advPgd > stdPgd + 0.15,
            $"PGD-10 accuracy at ε={eps}: PGD-AT {advPgd:P1} vs standard {stdPgd:P1} (clean {advClean:P1} vs {stdClean:P1})");
        Assert.True(advClean > 0.7, $"PGD-AT clean accuracy {advClean:P1}");
        Assert.All(hardened.History, m => Assert.True(m.Extra.ContainsKey(Hardening.PgdKey)));
        Assert.Equal(hardening.EarlyStoppingState.Best,
            hardened.History.Max(m => m.Extra[Hardening.PgdKey]));
    }
}
