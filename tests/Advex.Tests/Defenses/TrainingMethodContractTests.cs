namespace Advex.Tests.Defenses;

using Advex.Data;
using Advex.Defenses;
using Advex.Tests.Support;
using Advex.Training;
using static TorchSharp.torch;

/// <summary>
/// The contract every registered adversarial-training method keeps: it trains an epoch with a finite loss, the same
/// seed gives the same weights, its loss leaves the model in the mode it found it, it keeps per-sample state exactly
/// when its entry says so, and its entry's defaults are what <see cref="AdversarialTraining"/> applies.
/// </summary>
public sealed class TrainingMethodContractTests
{
    private const double Eps = 0.1;

    public static TheoryData<string> AllMethods() => new(TrainingMethodRegistry.Names);

    private static AdversarialTraining Options(string name) =>
        new(name, Eps, steps: TrainingMethodRegistry.Get(name).SingleStep ? null : 3, earlyStopping: false, heldout: 0);

    private static TrainResult TrainOneEpoch(string name, Dataset train, Dataset test)
    {
        var options = new TrainOptions { Epochs = 1, BatchSize = 32, Seed = 5 };
        using var hardening = new Hardening(Options(name), null, options.Seed);
        return hardening.Apply(new Trainer()).Train(train, test, options);
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void Method_trains_an_epoch_with_a_finite_loss_and_the_same_seed_gives_the_same_weights(string name)
    {
        using var _ = new SingleThread();
        using var mnist = DataSource.Load("mnist", "test");
        using var train = mnist.Range(0, 96);
        using var test = mnist.Range(96, 32);
        var a = TrainOneEpoch(name, train, test);
        var b = TrainOneEpoch(name, train, test);
        using var modelA = a.Model;
        using var modelB = b.Model;
        Assert.True(double.IsFinite(a.History[0].TrainLoss), $"{name}: training loss {a.History[0].TrainLoss}");
        Assert.False(modelA.Module.training, "the trained model is handed back in eval mode");
        var pairs = modelA.Module.parameters().Zip(modelB.Module.parameters()).ToList();
        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.True(p.First.eq(p.Second).all().item<bool>(), $"{name} is not deterministic for a fixed seed"));
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void Method_loss_is_a_finite_scalar_with_a_graph_and_restores_the_model_mode(string name)
    {
        using var _ = new SingleThread();
        using var scope = NewDisposeScope();
        var method = TrainingMethodRegistry.Get(name);
        using var model = DefenseLossTests.UntrainedLeNet(1);
        var (x, y) = DefenseLossTests.Batch(16);
        long[] indices = [.. Enumerable.Range(0, 16).Select(i => (long)i)];
        using var rng = new Generator(3);
        foreach (var training in new[] { true, false })
        {
            model.Module.train(training);
            var memory = new PerturbationMemory();
            var loss = method.Loss(new AdversarialBatch(model, new TrainingBatch(x, y, indices, 1), Options(name), memory, rng));
            Assert.Equal(training, model.Module.training);
            Assert.True(loss.dim() == 0 && loss.requires_grad, $"{name}: the loss must be a scalar with a graph");
            Assert.True(float.IsFinite(loss.item<float>()), $"{name}: loss {loss.item<float>()}");
            Assert.Equal(method.PerSampleState ? 16 : 0, memory.Count);
        }
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void Method_checkpoint_holds_per_sample_state_exactly_when_the_entry_says_so(string name)
    {
        using var _ = new SingleThread();
        using var scope = NewDisposeScope();
        var method = TrainingMethodRegistry.Get(name);
        using var model = DefenseLossTests.UntrainedLeNet(2);
        var (x, y) = DefenseLossTests.Batch(8);
        using var hardening = new Hardening(Options(name), null, seed: 1);
        model.Module.train();
        hardening.Loss(model, new TrainingBatch(x, y, [.. Enumerable.Range(0, 8).Select(i => (long)i)], 1));
        var dir = Paths.TempDir();
        hardening.Save(dir);
        Assert.Equal(method.PerSampleState, File.Exists(Path.Combine(dir, "perturbations.bin")));
        using var resumed = new Hardening(Options(name), null, seed: 1);
        resumed.Load(dir);
        if (!method.PerSampleState) return;
        File.Delete(Path.Combine(dir, "perturbations.bin"));
        using var incomplete = new Hardening(Options(name), null, seed: 1);
        Assert.Contains($"no {name} perturbations", Assert.Throws<AdvexException>(() => incomplete.Load(dir)).Message);
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void Method_entry_defaults_are_the_ones_applied(string name)
    {
        var method = TrainingMethodRegistry.Get(name);
        var options = new AdversarialTraining(name, 0.2);
        Assert.Same(method, options.Definition);
        Assert.Equal(method.DefaultSteps, options.Steps);
        Assert.Equal(method.DefaultAlpha(0.2, options.Steps), options.Alpha);
        Assert.False(string.IsNullOrWhiteSpace(method.Description));
        Assert.Contains(method.Name, TrainingMethodRegistry.Help);
        Assert.Contains(method.AlphaRule, TrainingMethodRegistry.AlphaHelp);
        if (method.SingleStep)
        {
            Assert.Equal(1, options.Steps);
            Assert.Throws<AdvexException>(() => new AdversarialTraining(name, 0.2, steps: 2));
            Assert.Equal(0.5, new AdversarialTraining(name, 0.2, gradAlign: 0.5).GradAlign);
        }
        else
        {
            Assert.Equal(4, new AdversarialTraining(name, 0.2, steps: 4).Steps);
            var e = Assert.Throws<AdvexException>(() => new AdversarialTraining(name, 0.2, gradAlign: 0.5));
            Assert.Contains(TrainingMethodRegistry.SingleStepNames, e.Message);
        }
    }

    [Fact]
    public void Unknown_method_lists_the_registered_ones()
    {
        var e = Assert.Throws<AdvexException>(() => new AdversarialTraining("free", 0.3));
        Assert.Contains("unknown adversarial training 'free'", e.Message);
        Assert.All(TrainingMethodRegistry.Names, n => Assert.Contains(n, e.Message));
    }
}
