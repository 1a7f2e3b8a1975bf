namespace Advex.Generative;

using System.Diagnostics;
using Advex.Data;
using Advex.Models;
using Advex.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// <see cref="GanTrainer"/>'s part of the training loop: per batch one discriminator step on
/// BCE(D(x), 1) + BCE(D(G(z)), 0) with G(z) detached, then one generator step on BCE(D(G(z')), 1) with fresh noise,
/// real images mapped to [−1, 1]; the epoch's dropout masks and noise come from (seed, epoch). Per epoch: mean losses,
/// D(x), D(G(z)) and the MNIST Inception Score when there is a scorer; the checkpoint holds both networks, both Adam
/// states and the history.
/// </summary>
internal sealed class GanRun(Module<Tensor, Tensor> g, Module<Tensor, Tensor> d, OptimizerHelper optG,
    OptimizerHelper optD, Dataset train, GanOptions o, Classifier? scorer)
    : ICheckpointedRun<GanEpoch, GanRun.State>, IDisposable
{
    private Generator? rng;
    private double dLoss, gLoss, dReal, dFake;

    /// <summary>The <c>state.json</c> of a GAN checkpoint.</summary>
    internal sealed record State(int Epoch, List<GanEpoch> History, int Seed, string Architecture, int Latent,
        int BatchSize) : ITrainingState<GanEpoch>;

    public void BeginEpoch(int epoch)
    {
        g.train();
        d.train();
        manual_seed(GanTrainer.EpochSeed(o.Seed, epoch)); // dropout masks
        rng?.Dispose();
        rng = new Generator((ulong)GanTrainer.EpochSeed(o.Seed, epoch) + 1);
        (dLoss, gLoss, dReal, dFake) = (0, 0, 0, 0);
    }

    public void Step(TrainingStep step)
    {
        var (x, _) = train.Batch(step.Indices);
        var real = x.mul(2).sub_(1);
        var n = step.Indices.Length;

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
    }

    public GanEpoch EndEpoch(int epoch, Stopwatch clock)
    {
        g.eval();
        d.eval();
        rng?.Dispose();
        rng = null;
        double count = train.Count;
        double? score = scorer is null || o.ScoreSamples == 0 ? null : InceptionScore(epoch);
        return new GanEpoch(epoch, dLoss / count, gLoss / count, dReal / count, dFake / count, score,
            clock.Elapsed.TotalSeconds);
    }

    public State StateOf(int epoch, List<GanEpoch> history) =>
        new(epoch, history, o.Seed, o.Architecture, o.Latent, o.BatchSize);

    public void Save(string dir) => GanCheckpoint.Save(dir, g, d, optG, optD);

    public IEnumerable<ResumeSetting> Settings(State saved) =>
    [
        ResumeSetting.Of("architecture", saved.Architecture, o.Architecture),
        ResumeSetting.Of("seed", saved.Seed, o.Seed),
        ResumeSetting.Of("latent", saved.Latent, o.Latent),
        ResumeSetting.Of("batch size", saved.BatchSize, o.BatchSize),
    ];

    public void Restore(State saved, string dir) => GanCheckpoint.Load(dir, g, d, optG, optD);

    public void Dispose() => rng?.Dispose();

    private double InceptionScore(int epoch)
    {
        using var scope = NewDisposeScope();
        var images = GanTrainer.Generate(g, o.ScoreSamples, o.Latent, o.Seed, 1_000_000 + epoch);
        return MnistInceptionScore.Score(scorer!, images);
    }
}
