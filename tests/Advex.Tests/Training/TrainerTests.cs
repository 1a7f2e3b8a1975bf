namespace Advex.Tests.Training;

using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using Advex.Training;
using static TorchSharp.torch;

public sealed class TrainerTests
{
    private static (Dataset Train, Dataset Test) SmallMnist()
    {
        using var train = DataSource.Load("mnist", "train");
        using var test = DataSource.Load("mnist", "test");
        return (train.Take(3000), test.Take(500));
    }

    private static float[] Weights(Classifier model) =>
        model.Module.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();

    [Fact]
    public void Same_seed_gives_identical_weights_and_metrics()
    {
        var (train, test) = SmallMnist();
        using var _ = train;
        using var __ = test;
        var options = new TrainOptions { Epochs = 2, Seed = 42 };
        var a = new Trainer().Train(train, test, options);
        var b = new Trainer().Train(train, test, options);
        var c = new Trainer().Train(train, test, options with { Seed = 43 });
        Assert.Equal(Weights(a.Model), Weights(b.Model));
        Assert.Equal(a.History.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)),
            b.History.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)));
        Assert.NotEqual(Weights(a.Model), Weights(c.Model));
        foreach (var r in new[] { a, b, c }) r.Model.Dispose();
    }

    [Fact]
    public void Resume_continues_to_the_same_weights_as_an_uninterrupted_run()
    {
        var (train, test) = SmallMnist();
        using var _ = train;
        using var __ = test;
        var options = new TrainOptions { Epochs = 3, Seed = 5, Optimizer = "sgd", Lr = 0.05, Nesterov = true, WeightDecay = 5e-4, Plateau = true };
        var dir = Paths.TempDir();
        var full = new Trainer().Train(train, test, options, Path.Combine(dir, "full"));
        new Trainer().Train(train, test, options with { Epochs = 1 }, Path.Combine(dir, "split")).Model.Dispose();
        var resumed = new Trainer().Train(train, test, options, Path.Combine(dir, "split"), resume: true);
        Assert.Equal(Weights(full.Model), Weights(resumed.Model));
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(full.History.Select(m => m.TestLoss), resumed.History.Select(m => m.TestLoss));
        full.Model.Dispose();
        resumed.Model.Dispose();
    }

    [Fact]
    public void One_cycle_schedule_is_the_same_with_or_without_a_progress_callback()
    {
        var (train, test) = SmallMnist();
        using var _ = train;
        using var __ = test;
        using var small = train.Take(600);
        var options = new TrainOptions { Epochs = 2, Seed = 3, LrSchedule = "one-cycle", Architecture = "wongnet" };
        var quiet = new Trainer().Train(small, test, options);
        var watched = new Trainer { OnBatch = (_, _, _) => { } }.Train(small, test, options);
        Assert.Equal(Weights(watched.Model), Weights(quiet.Model));
        Assert.Equal(watched.History.Select(m => m.Lr), quiet.History.Select(m => m.Lr));
        quiet.Model.Dispose();
        watched.Model.Dispose();
    }

    [Fact]
    public void Saved_model_loads_back_with_identical_outputs()
    {
        var (train, test) = SmallMnist();
        using var _ = train;
        using var __ = test;
        var dir = Paths.TempDir();
        var options = new TrainOptions { Epochs = 1, Seed = 1, Normalization = new Normalization([0.1307], [0.3081]) };
        using var trained = new Trainer().Train(train, test, options, dir).Model;
        using var loaded = ModelStore.Load(dir);
        Assert.Equal("lenet", loaded.Architecture);
        Assert.Equal([0.1307], loaded.Normalization!.Mean);
        using var scope = NewDisposeScope();
        var (x, _) = test.Slice(0, 32);
        using var ___ = no_grad();
        Assert.True(trained.Logits(x).eq(loaded.Logits(x)).all().item<bool>());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Plateau_schedule_halves_after_patience_epochs_without_improvement()
    {
        var s = new ReduceLrOnPlateau(0.5, 2, 1e-6);
        var lr = 0.1;
        foreach (var loss in new[] { 1.0, 0.9, 0.95, 0.95 }) lr = s.Step(loss, lr);
        Assert.Equal(0.1, lr);
        lr = s.Step(0.95, lr);
        Assert.Equal(0.05, lr);
    }
}
