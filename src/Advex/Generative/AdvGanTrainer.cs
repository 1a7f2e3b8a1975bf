namespace Advex.Generative;

using System.Diagnostics;
using System.Text.Json;
using Advex.Attacks.Core;
using Advex.Attacks;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>The trained generator (with its manifest) and the per-epoch figures.</summary>
public sealed record AdvGanResult(AdvGanGenerator Generator, AdvGanManifest Manifest, IReadOnlyList<AdvGanEpoch> History);

/// <summary>
/// Trains AdvGAN (Xiao et al. 2018) against a frozen target classifier, per batch as seed 000: δ = G(x),
/// x' = clip₀¹(x + clamp(δ, −ε, ε)); one discriminator step on the LSGAN loss (x real, x' detached fake); one generator
/// step on L_GAN + adv_lambda·L_adv + pert_lambda·L_pert, where L_adv is the C&amp;W margin of the target's output
/// on x' and L_pert the mean ‖δ‖₂ of the raw generator output (as the reference implementation; optionally hinged at
/// c). The target model stays in eval mode with its parameters untouched. A checkpoint after every epoch (both
/// networks, both Adam states, history) makes resume exact; the same seed gives the same generator on CPU.
/// </summary>
public sealed record AdvGanTrainer
{
    public const string CheckpointDir = GanCheckpoint.Dir;

    /// <summary>Held-out images for per-epoch success and the sample grid (e.g. the first 1,000 test images).</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Images shown in the per-epoch sample grid (the first ones of <see cref="Validation"/>).</summary>
    public int GridSamples { get; init; } = 10;

    public Action<int, int, int>? OnBatch { get; init; }

    public Action<AdvGanEpoch, AdvGanSamples?>? OnEpoch { get; init; }

    public AdvGanResult Train(Classifier target, Dataset train, AdvGanOptions options, string? outDir = null,
        bool resume = false, Dictionary<string, object?>? provenance = null)
    {
        options.Validate(target.Classes);
        target.CheckData(train);
        Native.TorchRuntime.EnsureLoaded();
        manual_seed(options.Seed);
        var g = new AdvGanGenerator(train.Channels);
        using var d = new AdvGanDiscriminator(train.Channels);
        using var optG = optim.Adam(g.parameters(), options.Lr);
        using var optD = optim.Adam(d.parameters(), options.Lr);
        var history = new List<AdvGanEpoch>();
        var start = 1;
        if (resume)
        {
            if (outDir is null) throw new AdvexException("--resume needs --out <dir> holding a checkpoint");
            var state = GanCheckpoint.Load<CheckpointState>(outDir, g, d, optG, optD, options.Epochs, st => st.Epoch,
                st => st.Options != Fingerprint(options)
                    ? $"was made with other options ({st.Options}); resume with the same ones"
                    : null);
            history.AddRange(state.History);
            start = state.Epoch + 1;
        }

        using (new FrozenModel(target))
        {
            for (var epoch = start; epoch <= options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var figures = RunEpoch(g, d, optG, optD, target, train, options, epoch);
                var (testSuccess, testL2, samples) = Validate(g, target, options);
                figures = figures with { TestSuccess = testSuccess, TestMeanL2 = testL2, Seconds = clock.Elapsed.TotalSeconds };
                history.Add(figures);
                if (outDir != null)
                    GanCheckpoint.Save(outDir, epoch, g, d, optG, optD, new CheckpointState(epoch, history, Fingerprint(options)));
                OnEpoch?.Invoke(figures, samples);
            }
        }
        g.eval();
        var last = history[^1];
        var manifest = new AdvGanManifest
        {
            InputShape = train.InputShape,
            Eps = options.Eps,
            TargetClass = options.TargetClass,
            Training = new Dictionary<string, object?>(provenance ?? [])
            {
                ["data"] = train.Spec, ["seed"] = options.Seed, ["epochs"] = history.Count, ["batch_size"] = options.BatchSize,
                ["lr"] = options.Lr, ["adv_lambda"] = options.AdvLambda, ["pert_lambda"] = options.PertLambda,
                ["hinge_c"] = options.HingeBound, ["margin"] = options.Margin.Name(),
            },
            Metrics = new Dictionary<string, double> { ["train_success"] = last.TrainSuccess, ["train_mean_l2"] = last.TrainMeanL2 },
        };
        if (last.TestSuccess is { } ts) manifest.Metrics["test_success"] = ts;
        if (outDir != null) AdvGanStore.Save(g, outDir, manifest);
        return new AdvGanResult(g, manifest, history);
    }

    private AdvGanEpoch RunEpoch(AdvGanGenerator g, AdvGanDiscriminator d, OptimizerHelper optG, OptimizerHelper optD,
        Classifier target, Dataset train, AdvGanOptions o, int epoch)
    {
        g.train();
        d.train();
        double dLoss = 0, gan = 0, adv = 0, pert = 0, l2 = 0;
        long fooled = 0;
        var batches = Batching.Count(train.Count, o.BatchSize);
        var b = 0;
        foreach (var idx in Batching.Epoch(train.Count, o.BatchSize, o.Seed, epoch))
        {
            Interruption.ThrowIfRequested(() => $"in epoch {epoch}; the checkpoint of the last finished epoch is kept (continue with resume)");
            using var scope = NewDisposeScope();
            var (x, y) = train.Batch(idx);
            var classes = o.TargetClass is { } t ? Targets.Fixed(t, idx.Length) : y;
            var raw = g.call(x);
            var xAdv = (x + raw.clamp(-o.Eps, o.Eps)).clamp(target.Lower, target.Upper);

            optD.zero_grad();
            var lossD = AdvGanLosses.Discriminator(d.call(x), d.call(xAdv.detach()));
            lossD.backward();
            optD.step();

            optG.zero_grad();
            var lossGan = AdvGanLosses.Generator(d.call(xAdv));
            var logits = target.Logits(xAdv);
            var lossAdv = AdvGanLosses.Margin(logits, classes, o.TargetClass is not null, o.Margin);
            var lossPert = AdvGanLosses.Perturbation(raw, o.HingeBound);
            var lossG = lossGan + o.AdvLambda * lossAdv + o.PertLambda * lossPert;
            lossG.backward();
            optG.step();

            using (no_grad())
            {
                var n = idx.Length;
                dLoss += lossD.item<float>() * n;
                gan += lossGan.item<float>() * n;
                adv += lossAdv.item<float>();
                pert += lossPert.item<float>() * n;
                l2 += LpBall.L2Norms(xAdv - x).sum().item<float>();
                var pred = logits.argmax(1);
                fooled += (o.TargetClass is null ? pred.ne(classes) : pred.eq(classes)).sum().item<long>();
            }
            OnBatch?.Invoke(epoch, ++b, batches);
        }
        g.eval();
        d.eval();
        var count = (double)train.Count;
        return new AdvGanEpoch(epoch, dLoss / count, gan / count, adv / count, pert / count, fooled / count, l2 / count,
            null, null, 0);
    }

    /// <summary>Success rate over the held-out images the target classifies correctly, their mean ‖δ‖₂, and the grid.</summary>
    private (double?, double?, AdvGanSamples?) Validate(AdvGanGenerator g, Classifier target, AdvGanOptions o)
    {
        if (Validation is null || Validation.Count == 0) return (null, null, null);
        long attacked = 0, fooled = 0;
        double l2 = 0;
        AdvGanSamples? samples = null;
        foreach (var idx in Batching.Sequential(Validation.Count, 500))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (x, y) = Validation.Batch(idx);
            var xAdv = AdvGan.Apply(g, x, o.Eps, target.Lower, target.Upper);
            var clean = target.Predict(x);
            var pred = target.Predict(xAdv);
            var correct = clean.eq(y);
            var success = o.TargetClass is { } t ? pred.eq(t) : pred.ne(y);
            var counted = correct & success;
            attacked += correct.sum().item<long>();
            fooled += counted.sum().item<long>();
            l2 += (LpBall.L2Norms(xAdv - x) * counted.to_type(ScalarType.Float32)).sum().item<float>();
            if (samples is null)
            {
                var k = (int)Math.Min(GridSamples, idx.Length);
                samples = new AdvGanSamples(
                    Enumerable.Range(0, k).Select(i => x[i].data<float>().ToArray()).ToList(),
                    Enumerable.Range(0, k).Select(i => xAdv[i].data<float>().ToArray()).ToList(),
                    y.data<long>().Take(k).ToList(), pred.data<long>().Take(k).ToList(), Validation.InputShape);
            }
        }
        return (attacked == 0 ? 0 : fooled / (double)attacked, fooled == 0 ? 0 : l2 / fooled, samples);
    }

    private static string Fingerprint(AdvGanOptions o) => JsonSerializer.Serialize(o with { Epochs = 0 });

    private sealed record CheckpointState(int Epoch, List<AdvGanEpoch> History, string Options);

}
