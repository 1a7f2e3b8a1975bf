namespace Advex.Tests.Defenses;

using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using Advex.Training;

public sealed class EarlyStoppingTests
{
    [Fact]
    public void Rule_keeps_the_best_epoch_and_stops_when_robust_accuracy_collapses()
    {
        var rule = new EarlyStopping(0.2);
        var improved = new[] { 0.50, 0.70, 0.62, 0.55, 0.45, 0.80 }.Select((a, i) => rule.Observe(i + 1, a)).ToList();
        Assert.Equal([true, true, false, false, false, true], improved);
        Assert.Equal(5, rule.StoppedEpoch); // 0.45 < 0.70 − 0.2: the first collapse is remembered
        Assert.Equal(6, rule.BestEpoch);
        var copy = new EarlyStopping(0.2);
        copy.Restore(rule.State);
        Assert.Equal(rule.State, copy.State);
    }

    [Fact]
    public void Trainer_returns_the_weights_of_the_best_epoch_not_the_last()
    {
        using var all = DataSource.Load("mnist", "train");
        using var train = all.Take(1000);
        using var allTest = DataSource.Load("mnist", "test");
        using var test = allTest.Take(200);
        var fake = new Dictionary<int, double> { [1] = 0.3, [2] = 0.6, [3] = 0.35, [4] = 0.1 };
        var rule = new EarlyStopping(0.2);
        WeightSnapshot? best = null;
        var perEpoch = new Dictionary<int, float[]>();
        var trainer = new Trainer
        {
            EpochExtra = (model, epoch) =>
            {
                if (rule.Observe(epoch, fake[epoch])) best = WeightSnapshot.Of(model.Module);
                perEpoch[epoch] = Weights(model);
                return new() { ["heldout_pgd_accuracy"] = fake[epoch] };
            },
            StopAfter = _ => rule.Stopped,
            BeforeFinal = model => best?.RestoreInto(model.Module),
        };
        var result = trainer.Train(train, test, new TrainOptions { Epochs = 4, Seed = 3 });
        using var model = result.Model;
        Assert.Equal(3, result.History.Count); // epoch 3 fell 0.25 below the best: stop
        Assert.Equal(2, rule.BestEpoch);
        Assert.Equal(perEpoch[2], Weights(model));
        Assert.NotEqual(perEpoch[3], Weights(model));
    }

    private static float[] Weights(Classifier model) =>
        model.Module.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
}
