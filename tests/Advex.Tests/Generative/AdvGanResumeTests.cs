namespace Advex.Tests.Generative;

using Advex.Generative;
using Advex.Models;
using Advex.Tests.Support;

[Collection("lenet")]
public sealed class AdvGanResumeTests(TrainedLeNet lenet)
{
    [Fact]
    public void Advgan_resumed_after_one_epoch_ends_with_the_generator_and_figures_of_an_uninterrupted_run()
    {
        using var threads = new SingleThread();
        using var train = lenet.Test.Take(256);
        using var validation = lenet.Test.Take(64);
        var options = new AdvGanOptions { Epochs = 2, Seed = 3, BatchSize = 64 };
        var dir = Paths.TempDir();
        var trainer = new AdvGanTrainer { Validation = validation };
        var straight = trainer.Train(lenet.Model, train, options, Path.Combine(dir, "straight"));
        trainer.Train(lenet.Model, train, options with { Epochs = 1 }, Path.Combine(dir, "split")).Generator.Dispose();
        var resumed = trainer.Train(lenet.Model, train, options, Path.Combine(dir, "split"), resume: true);
        using var a = straight.Generator;
        using var b = resumed.Generator;

        Assert.Equal(straight.History.Select(m => m with { Seconds = 0 }), resumed.History.Select(m => m with { Seconds = 0 }));
        Assert.Equal(Weights(a), Weights(b));
        var again = Assert.Throws<AdvexException>(() => trainer.Train(lenet.Model, train, options, Path.Combine(dir, "split"), resume: true));
        Assert.Contains("already has 2 epochs", again.Message);
        var other = Assert.Throws<AdvexException>(() =>
            trainer.Train(lenet.Model, train, options with { Epochs = 3, Eps = 0.2 }, Path.Combine(dir, "split"), resume: true));
        Assert.Contains("Eps 0.3 (now 0.2)", other.Message);
    }

    private static float[] Weights(AdvGanGenerator g) =>
        g.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
}
