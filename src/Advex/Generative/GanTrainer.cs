namespace Advex.Generative;

using System.Text.Json;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using Advex.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The trained networks and the per-epoch figures.</summary>
public sealed record GanResult(Module<Tensor, Tensor> Generator, Module<Tensor, Tensor> Discriminator,
    IReadOnlyList<GanEpoch> History) : IDisposable
{
    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
    }
}

/// <summary>
/// Trains a GAN as in step 001 of the original notes (Goodfellow et al. 2014 with the non-saturating generator loss): per batch, one
/// discriminator step on BCE(D(x), 1) + BCE(D(G(z)), 0) with G(z) detached, then one generator step on
/// BCE(D(G(z')), 1) with fresh noise (<see cref="GanRun"/>, in the shared <see cref="TrainingLoop{TFigures}"/>).
/// Real images are mapped to [−1, 1] to match the tanh output. After each epoch:
/// the fixed-noise samples (<see cref="OnEpoch"/>), the MNIST Inception Score of fresh samples when a
/// <see cref="Scorer"/> is given, and a checkpoint (both networks, both Adam states, history) so that resume
/// continues exactly. Each epoch's noise, dropout masks and batch order come from (seed, epoch), so a run is
/// bit-identical for a seed on CPU, resumed or not.
/// </summary>
public sealed record GanTrainer
{
    public const string CheckpointDir = GanCheckpoint.Dir;
    public const string GeneratorWeights = "generator.bin";
    public const string ManifestName = "gan.json";

    /// <summary>Scores generated samples each epoch (a LeNet trained on MNIST for MNIST-IS); null: no score.</summary>
    public Classifier? Scorer { get; init; }

    /// <summary>Called after every batch with (epoch, batch, batches).</summary>
    public Action<int, int, int>? OnBatch { get; init; }

    /// <summary>Called after every epoch with its figures and the fixed-noise samples.</summary>
    public Action<GanEpoch, GanSamples>? OnEpoch { get; init; }

    public GanResult Train(Dataset train, GanOptions options, string? outDir = null, bool resume = false)
    {
        options.Validate();
        Native.TorchRuntime.EnsureLoaded();
        manual_seed(options.Seed);
        var (g, d) = GanArchitectures.Create(options.Architecture, options.Latent, train.InputShape);
        using var optG = optim.Adam(g.parameters(), options.Lr, options.Beta1, options.Beta2);
        using var optD = optim.Adam(d.parameters(), options.Lr, options.Beta1, options.Beta2);
        using var fixedNoise = Noise(options.GridSamples, options.Latent, options.Seed, 0);
        using var run = new GanRun(g, d, optG, optD, train, options, Scorer);
        var history = new TrainingLoop<GanEpoch>(train.Count, options.BatchSize, options.Epochs, options.Seed)
        {
            OnBatch = OnBatch,
            OnEpoch = figures => OnEpoch?.Invoke(figures, Samples(g, fixedNoise, Scorer)),
        }.Run(run, outDir, resume);
        if (outDir != null) SaveGenerator(outDir, g, train, options, history);
        return new GanResult(g, d, history);
    }

    /// <summary>Pixels in [0,1] from the generator's [−1, 1] output.</summary>
    public static Tensor ToPixels(Tensor generated) => generated.add(1).div_(2).clamp_(0, 1);

    /// <summary>Generates n pixel images [n, C, H, W] from noise drawn with (seed, stream), generator in eval mode.</summary>
    public static Tensor Generate(Module<Tensor, Tensor> g, int n, long latent, int seed, int stream)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var wasTraining = g.training;
        g.eval();
        var z = Noise(n, latent, seed, stream);
        var images = ToPixels(g.call(z));
        g.train(wasTraining);
        return images.MoveToOuterDisposeScope();
    }

    private static GanSamples Samples(Module<Tensor, Tensor> g, Tensor fixedNoise, Classifier? scorer)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        g.eval();
        var images = ToPixels(g.call(fixedNoise));
        var pixels = Enumerable.Range(0, (int)images.shape[0]).Select(i => images[i].data<float>().ToArray()).ToList();
        var predictions = scorer?.Predict(images).data<long>().ToArray();
        return new GanSamples(pixels, predictions, images.shape.Skip(1).ToArray());
    }

    /// <summary>Standard normal noise [n, latent] from its own generator: stream 0 is the fixed grid noise.</summary>
    private static Tensor Noise(int n, long latent, int seed, int stream)
    {
        using var rng = new Generator((ulong)EpochSeed(seed, stream) + 2);
        return randn(n, latent, generator: rng);
    }

    /// <summary>The seed of one epoch's (or one noise stream's) random numbers.</summary>
    internal static long EpochSeed(int seed, int epoch) => (long)(uint)seed * 1_000_003L + epoch * 7L;

    private static void SaveGenerator(string outDir, Module g, Dataset train, GanOptions o, List<GanEpoch> history)
    {
        AtomicFile.Write(Path.Combine(outDir, GeneratorWeights), tmp => g.save(tmp));
        var manifest = new Dictionary<string, object?>
        {
            ["format"] = "advex-gan/1", ["architecture"] = o.Architecture, ["latent"] = o.Latent,
            ["image_shape"] = train.InputShape, ["weights"] = GeneratorWeights, ["output"] = "tanh, pixels = (g + 1) / 2",
            ["data"] = train.Spec, ["seed"] = o.Seed, ["epochs"] = history.Count,
            ["inception_score"] = history[^1].InceptionScore, ["advex_version"] = VersionInfo.Advex,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, ManifestName), JsonSerializer.Serialize(manifest, ModelStore.Json));
    }
}
