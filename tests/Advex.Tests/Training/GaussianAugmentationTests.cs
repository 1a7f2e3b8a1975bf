namespace Advex.Tests.Training;

using Advex.Data;
using Advex.Evaluation.Smoothing;
using Advex.Models;
using Advex.Tests.Support;
using Advex.Training;
using static TorchSharp.torch;

/// <summary><c>train --noise σ</c>: Gaussian data augmentation (Cohen et al. 2019's base classifier) is deterministic
/// per seed, changes training, and makes the base classifier more accurate under that noise than clean training.</summary>
public sealed class GaussianAugmentationTests
{
    [Fact]
    public void Noise_trained_lenet_is_deterministic_and_more_accurate_under_noise_than_a_clean_one()
    {
        using var _ = new SingleThread();
        using var fullTrain = DataSource.Load("mnist", "train");
        using var train = fullTrain.Take(3000);
        using var fullTest = DataSource.Load("mnist", "test");
        using var test = fullTest.Take(200);
        var options = new TrainOptions { Epochs = 1, Seed = 5 };
        using var clean = new Trainer().Train(train, test, options).Model;
        using var noisy = new Trainer().Train(train, test, options with { NoiseSigma = 1.0 }).Model;
        using var again = new Trainer().Train(train, test, options with { NoiseSigma = 1.0 }).Model;
        Assert.Equal(Weights(noisy), Weights(again));
        Assert.NotEqual(Weights(clean), Weights(noisy));
        // accuracy of the base classifier on x + N(0, σ²): what smoothing at σ needs
        var (x, y) = test.Slice(0, test.Count);
        double Accuracy(Classifier m)
        {
            using var scope = NewDisposeScope();
            var keys = Enumerable.Range(0, test.Count).Select(i => (ulong)i + 1000).ToArray();
            var noisyX = x + RandomizedSmoothing.Gaussian(keys, [1, 28, 28]).mul(1.0);
            return m.Predict(noisyX).eq(y).sum().item<long>() / (double)test.Count;
        }
        var (a, b) = (Accuracy(clean), Accuracy(noisy));
        Assert.True(b > a, $"under σ = 1 noise: noise-trained {b:P1}, clean-trained {a:P1}");
    }

    private static float[] Weights(Classifier model) =>
        model.Module.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
}
