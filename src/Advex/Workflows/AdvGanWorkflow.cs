namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Data;
using Advex.Generative;
using Advex.Models;
using Advex.Reporting;

/// <summary>
/// <c>advex advgan train</c> as a library call (step 000 of the original notes): trains an AdvGAN generator against a frozen target
/// (<see cref="AdvGanTrainer"/>), writes a sample grid per epoch, the curves and <c>advgan-training.json</c> beside the
/// generator and checkpoints, and returns the summary.
/// </summary>
public static class AdvGanWorkflow
{
    public const string SummaryFile = "advgan-training.json";

    public static AdvGanSummary Run(Classifier target, AdvGanJob job, IProgress<JobProgress>? progress = null)
    {
        var options = job.Validate(target.Classes).Options;
        var clock = Stopwatch.StartNew();
        const string stage = "train advgan generator";
        using var train = DataSource.Load(job.Data, "train", job.DataDir, null, job.Limit, job.DataOptions);
        using var validation = DataSource.Load(job.Data, "test", job.DataDir, null, job.ValidationCount, job.DataOptions);
        Directory.CreateDirectory(job.OutDir);
        var goal = options.TargetClass is { } t ? $"targeted at class {t}" : "untargeted";
        JobProgress.Say(progress, stage, $"Training AdvGAN ({goal}) against {job.Target} on {job.Data} ({train.Count} images), {options.Epochs} epochs, " +
            $"ε {options.Eps}, adv_lambda {options.AdvLambda}, pert_lambda {options.PertLambda}" +
            (options.HingeBound is { } c ? $" (hinge c {c})" : "") + $", margin on {options.Margin.Name()}, seed {options.Seed}");
        var batches = Batching.Count(train.Count, options.BatchSize);
        var result = new AdvGanTrainer
        {
            Validation = validation,
            OnBatch = (epoch, b, _) => progress?.Report(new JobProgress(stage, (epoch - 1) * batches + b, options.Epochs * batches)),
            OnEpoch = (m, samples) =>
            {
                if (samples != null)
                {
                    GenerativeFigures.WriteAdvGanSamples(Path.Combine(job.OutDir, GenerativeFigures.SamplesFor(m.Epoch)), samples, options.Eps, m.Epoch);
                    GenerativeFigures.WriteAdvGanSamples(Path.Combine(job.OutDir, GenerativeFigures.LatestSamples), samples, options.Eps, m.Epoch);
                }
                JobProgress.Say(progress, stage, $"epoch {m.Epoch,3}: D {m.DLoss:F4} | G gan {m.GGanLoss:F4} adv {m.AdvLoss:F4} pert {m.PertLoss:F3} | " +
                    $"train success {m.TrainSuccess:P2} (L2 {m.TrainMeanL2:F3}) | held-out success {m.TestSuccess:P2} " +
                    $"(L2 {m.TestMeanL2:F3}) | {m.Seconds:F1}s");
            },
        }.Train(target, train, options, job.OutDir, job.Resume,
            new Dictionary<string, object?> { ["target"] = job.Target, ["data_dir"] = job.DataDir, ["limit"] = job.Limit });
        result.Generator.Dispose();
        GenerativeFigures.WriteAdvGanCurves(job.OutDir, result.History);
        var last = result.History[^1];
        var summary = new AdvGanSummary(result.History.ToList(), last.TestSuccess, last.TestMeanL2,
            result.History.Sum(m => m.Seconds), clock.Elapsed.TotalSeconds, job.Target, job.Data,
            Path.GetFullPath(Path.Combine(job.OutDir, AdvGanStore.ManifestName)), options);
        JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        if (job.Json != null) JsonOutput.Write(job.Json, summary);
        return summary;
    }
}
