namespace Advex.Tests.Generative;

using Advex.Data;
using Advex.Generative;
using Advex.Tests.Support;
using Advex.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

[Collection("lenet")]
public sealed class GanTests(TrainedLeNet lenet)
{
    [Fact]
    public void Gan_resume_continues_the_curves_exactly()
    {
        using var full = DataSource.Load("mnist", "train");
        using var train = full.Take(1000);
        var options = new GanOptions { Epochs = 2, Seed = 4, ScoreSamples = 300, GridSamples = 8 };
        var dir = Paths.TempDir();
        var trainer = new GanTrainer { Scorer = lenet.Model };
        using var straight = trainer.Train(train, options, Path.Combine(dir, "straight"));
        trainer.Train(train, options with { Epochs = 1 }, Path.Combine(dir, "split")).Dispose();
        using var resumed = trainer.Train(train, options, Path.Combine(dir, "split"), resume: true);

        Assert.Equal(2, resumed.History.Count);
        Assert.Equal(straight.History.Select(m => m with { Seconds = 0 }), resumed.History.Select(m => m with { Seconds = 0 }));
        Assert.All(resumed.History, m => Assert.InRange(m.InceptionScore!.Value, 1, 10));
        Assert.Equal(Weights(straight.Generator), Weights(resumed.Generator));
        Assert.True(File.Exists(Path.Combine(dir, "split", GanTrainer.GeneratorWeights)));
    }

    [Fact]
    public void Mnist_inception_score_is_high_for_real_digits_and_one_for_constant_images()
    {
        // the scorer `gan train` trains when no --scorer is given: LeNet, 2 epochs on the 60k training images
        using var train = DataSource.Load("mnist", "train");
        using var test = DataSource.Load("mnist", "test");
        using var heldOut = test.Take(1000);
        using var scorer = new Trainer().Train(train, heldOut, new TrainOptions { Epochs = 2, Seed = 0 }).Model;
        var real = MnistInceptionScore.Score(scorer, test);
        Assert.True(real > 8, $"IS of the real MNIST test set: {real}");

        using var scope = NewDisposeScope();
        foreach (var value in new[] { 0.0, 0.5, 1.0 })
        {
            var constant = MnistInceptionScore.Score(scorer, full(new long[] { 500, 1, 28, 28 }, value));
            Assert.Equal(1.0, constant, 6);
        }
        // one real digit repeated: a confident but single class scores 1 as well
        var (one, _) = test.Slice(0, 1);
        Assert.Equal(1.0, MnistInceptionScore.Score(scorer, one.expand(300, 1, 28, 28).contiguous()), 6);
    }

    [Fact]
    public void Inception_score_is_the_class_count_for_certain_and_balanced_predictions()
    {
        using var scope = NewDisposeScope();
        var logp = eye(10, dtype: ScalarType.Float64).repeat(7, 1).clamp_min(1e-300).log();
        Assert.Equal(10.0, MnistInceptionScore.FromLogProbabilities(logp), 6);
    }

    public static IEnumerable<object[]> Architectures => GanArchitectures.Names.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_architecture_generates_images_in_the_pixel_range(string arch)
    {
        using var scope = NewDisposeScope();
        var (g, d) = GanArchitectures.Create(arch, 100, [1, 28, 28]);
        using var _ = g;
        using var __ = d;
        var images = GanTrainer.Generate(g, 5, 100, 0, 0);
        Assert.Equal(new long[] { 5, 1, 28, 28 }, images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.Equal(new long[] { 5 }, d.call(images).shape);
    }

    [Fact]
    public void Dcgan_starts_from_the_dcgan_initialisation()
    {
        manual_seed(0);
        var (g, d) = GanArchitectures.Create("dcgan", 100, [1, 28, 28]);
        using var _ = g;
        using var __ = d;
        var checkedLayers = 0;
        foreach (var m in g.modules().Concat(d.modules()))
        {
            var (weight, bias, mean) = m switch
            {
                Conv2d c => (c.weight, c.bias, 0.0),
                ConvTranspose2d t => (t.weight, t.bias, 0.0),
                Linear l => (l.weight, l.bias, 0.0),
                BatchNorm1d b => (b.weight, b.bias, 1.0),
                BatchNorm2d b => (b.weight, b.bias, 1.0),
                _ => (null, null, 0.0),
            };
            if (weight is null) continue;
            checkedLayers++;
            Assert.InRange(weight.mean().item<float>(), mean - 0.01, mean + 0.01);
            Assert.InRange(weight.std().item<float>(), 0.01, 0.03);
            if (bias is not null) Assert.Equal(0, bias.abs().max().item<float>());
        }
        Assert.Equal(15, checkedLayers); // 9 in G, 6 in D
    }

    private static float[] Weights(nn.Module module) =>
        module.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
}
