namespace Advex.Generative;

using System.Diagnostics;
using System.Text.Json;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

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
/// Trains a GAN as in seed 001 (Goodfellow et al. 2014 with the non-saturating generator loss): per batch, one
/// discriminator step on BCE(D(x), 1) + BCE(D(G(z)), 0) with G(z) detached, then one generator step on
/// BCE(D(G(z')), 1) with fresh noise. Real images are mapped to [−1, 1] to match the tanh output. After each epoch:
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
        var history = new List<GanEpoch>();
        var start = 1;
        if (resume)
        {
            if (outDir is null) throw new AdvexException("--resume needs --out <dir> holding a checkpoint");
            var state = GanCheckpoint.Load<CheckpointState>(outDir, g, d, optG, optD, options.Epochs, st => st.Epoch,
                st => st.Architecture != options.Architecture || st.Seed != options.Seed || st.Latent != options.Latent ||
                      st.BatchSize != options.BatchSize
                    ? $"was made with --arch {st.Architecture} --seed {st.Seed} (latent {st.Latent}, batch {st.BatchSize}); resume with the same options"
                    : null);
            history.AddRange(state.History);
            start = state.Epoch + 1;
        }

        for (var epoch = start; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (dLoss, gLoss, dReal, dFake) = RunEpoch(g, d, optG, optD, train, options, epoch);
            double? score = Scorer is null || options.ScoreSamples == 0
                ? null
                : InceptionScore(g, Scorer, options.ScoreSamples, options.Latent, options.Seed, epoch);
            var figures = new GanEpoch(epoch, dLoss, gLoss, dReal, dFake, score, clock.Elapsed.TotalSeconds);
            history.Add(figures);
            if (outDir != null)
                GanCheckpoint.Save(outDir, epoch, g, d, optG, optD, new CheckpointState(epoch, history, options.Seed,
                    options.Architecture, options.Latent, options.BatchSize));
            OnEpoch?.Invoke(figures, Samples(g, fixedNoise, Scorer));
        }
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

    private (double DLoss, double GLoss, double DReal, double DFake) RunEpoch(Module<Tensor, Tensor> g,
        Module<Tensor, Tensor> d, OptimizerHelper optG, OptimizerHelper optD, Dataset train, GanOptions o, int epoch)
    {
        g.train();
        d.train();
        manual_seed(EpochSeed(o.Seed, epoch)); // dropout masks
        using var rng = new Generator((ulong)EpochSeed(o.Seed, epoch) + 1);
        double dLoss = 0, gLoss = 0, dReal = 0, dFake = 0;
        var batches = Batching.Count(train.Count, o.BatchSize);
        var b = 0;
        foreach (var idx in Batching.Epoch(train.Count, o.BatchSize, o.Seed, epoch))
        {
            Interruption.ThrowIfRequested(() => $"in epoch {epoch}; the checkpoint of the last finished epoch is kept (continue with resume)");
            using var scope = NewDisposeScope();
            var (x, _) = train.Batch(idx);
            var real = x.mul(2).sub_(1);
            var n = idx.Length;

            optD.zero_grad();
            var fake = g.call(randn(n, o.Latent, generator: rng)).detach();
            var realLogit = d.call(real);
            var fakeLogit = d.call(fake);
            var lossD = binary_cross_entropy_with_logits(realLogit, ones_like(realLogit)) +
                        binary_cross_entropy_with_logits(fakeLogit, zeros_like(fakeLogit));
            lossD.backward();
            optD.step();

            optG.zero_grad();
            var generated = g.call(randn(n, o.Latent, generator: rng));
            var verdict = d.call(generated);
            var lossG = binary_cross_entropy_with_logits(verdict, ones_like(verdict));
            lossG.backward();
            optG.step();

            using (no_grad())
            {
                dLoss += lossD.item<float>() * n;
                gLoss += lossG.item<float>() * n;
                dReal += realLogit.sigmoid().sum().item<float>();
                dFake += fakeLogit.sigmoid().sum().item<float>();
            }
            OnBatch?.Invoke(epoch, ++b, batches);
        }
        g.eval();
        d.eval();
        return (dLoss / train.Count, gLoss / train.Count, dReal / train.Count, dFake / train.Count);
    }

    private static double InceptionScore(Module<Tensor, Tensor> g, Classifier scorer, int n, long latent, int seed,
        int epoch)
    {
        using var scope = NewDisposeScope();
        var images = Generate(g, n, latent, seed, 1_000_000 + epoch);
        return MnistInceptionScore.Score(scorer, images);
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

    private static long EpochSeed(int seed, int epoch) => (long)(uint)seed * 1_000_003L + epoch * 7L;

    private sealed record CheckpointState(int Epoch, List<GanEpoch> History, int Seed, string Architecture, int Latent,
        int BatchSize);

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
