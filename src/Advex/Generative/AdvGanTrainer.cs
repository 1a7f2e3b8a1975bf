namespace Advex.Generative;

using Advex.Data;
using Advex.Models;
using Advex.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>The trained generator (with its manifest) and the per-epoch figures.</summary>
public sealed record AdvGanResult(AdvGanGenerator Generator, AdvGanManifest Manifest, IReadOnlyList<AdvGanEpoch> History);

/// <summary>
/// Trains AdvGAN (Xiao et al. 2018) against a frozen target classifier, per batch as step 000 of the original notes: δ = G(x),
/// x' = clip₀¹(x + clamp(δ, −ε, ε)); one discriminator step on the LSGAN loss (x real, x' detached fake); one generator
/// step on L_GAN + adv_lambda·L_adv + pert_lambda·L_pert, where L_adv is the C&amp;W margin of the target's output
/// on x' and L_pert the mean ‖δ‖₂ of the raw generator output (as the reference implementation; optionally hinged at
/// c). The target model stays in eval mode with its parameters untouched. The epochs run in the shared
/// <see cref="TrainingLoop{TFigures}"/> (its step is <see cref="AdvGanRun"/>); a checkpoint after every epoch (both
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
        var run = new AdvGanRun(g, d, optG, optD, target, train, options, Validation, GridSamples);
        var loop = new TrainingLoop<AdvGanEpoch>(train.Count, options.BatchSize, options.Epochs, options.Seed)
        {
            OnBatch = OnBatch,
            OnEpoch = figures => OnEpoch?.Invoke(figures, run.Samples),
        };
        List<AdvGanEpoch> history;
        using (new FrozenModel(target)) history = loop.Run(run, outDir, resume);
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
}
