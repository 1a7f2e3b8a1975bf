namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Data;
using Advex.Generative;
using Advex.Models;
using Advex.Reporting;
using Advex.Training;

/// <summary>
/// <c>advex gan train</c> as a library call (step 001 of the original notes): trains a GAN (<see cref="GanTrainer"/>), writes a sample grid
/// per epoch, the curves and <c>gan-training.json</c> beside the generator and checkpoints, and returns the summary.
/// </summary>
public static class GanWorkflow
{
    /// <summary>Where the default scorer is cached inside the output folder.</summary>
    public const string ScorerDir = "scorer";

    public const string SummaryFile = "gan-training.json";

    public static GanSummary Run(GanJob job, IProgress<JobProgress>? progress = null)
    {
        var options = job.Validate().Options;
        var clock = Stopwatch.StartNew();
        var stage = $"train gan {options.Architecture}";
        using var train = DataSource.Load(job.Data, "train", job.DataDir, null, job.Limit, job.DataOptions);
        Directory.CreateDirectory(job.OutDir);
        using var scorer = options.ScoreSamples == 0 ? null : LoadScorer(job, progress, stage);
        if (scorer != null)
        {
            using var test = DataSource.Load(job.Data, "test", job.DataDir, null, null, job.DataOptions);
            JobProgress.Say(progress, stage,
                $"scorer: Inception Score of {test.Count} real {job.Data} test images = {MnistInceptionScore.Score(scorer, test):F3}");
        }
        JobProgress.Say(progress, stage, $"Training a {options.Architecture} GAN on {job.Data} ({train.Count} images), {options.Epochs} epochs, " +
            $"batch {options.BatchSize}, Adam lr {options.Lr} betas ({options.Beta1}, {options.Beta2}), seed {options.Seed}");
        var batches = Batching.Count(train.Count, options.BatchSize);
        using var result = new GanTrainer
        {
            Scorer = scorer,
            OnBatch = (epoch, b, _) => progress?.Report(new JobProgress(stage, (epoch - 1) * batches + b, options.Epochs * batches)),
            OnEpoch = (m, samples) =>
            {
                GenerativeFigures.WriteGanSamples(Path.Combine(job.OutDir, GenerativeFigures.SamplesFor(m.Epoch)), samples, m.Epoch);
                GenerativeFigures.WriteGanSamples(Path.Combine(job.OutDir, GenerativeFigures.LatestSamples), samples, m.Epoch);
                JobProgress.Say(progress, stage, $"epoch {m.Epoch,3}: D loss {m.DLoss:F4} | G loss {m.GLoss:F4} | D(x) {m.DReal:F3} | " +
                    $"D(G(z)) {m.DFake:F3} | IS {(m.InceptionScore is { } s ? s.ToString("F3") : "-")} | {m.Seconds:F1}s");
            },
        }.Train(train, options, job.OutDir, job.Resume);
        GenerativeFigures.WriteGanCurves(job.OutDir, result.History);
        var summary = new GanSummary(result.History.ToList(), result.History[^1].InceptionScore,
            result.History.Sum(m => m.Seconds), clock.Elapsed.TotalSeconds, job.Data, options);
        JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        if (job.Json != null) JsonOutput.Write(job.Json, summary);
        return summary;
    }

    /// <summary>The job's scorer, or the LeNet cached in OutDir/scorer, trained there on first use on the training
    /// images the job may read (its limit), with its own progress bar label.</summary>
    private static Classifier LoadScorer(GanJob job, IProgress<JobProgress>? progress, string stage)
    {
        if (job.Scorer != null) return ModelStore.Load(job.Scorer);
        var cached = Path.Combine(job.OutDir, ScorerDir);
        if (File.Exists(Path.Combine(cached, ModelStore.ManifestName))) return ModelStore.Load(cached);
        using var train = DataSource.Load(job.Data, "train", job.DataDir, null, job.Limit, job.DataOptions);
        using var test = DataSource.Load(job.Data, "test", job.DataDir, null, null, job.DataOptions);
        var options = new TrainOptions { Epochs = ScorerEpochs, Seed = 0 };
        const string scorerStage = "train the scorer LeNet";
        JobProgress.Say(progress, stage, $"no scorer given: training a LeNet on {train.Count} {job.Data} training images for the " +
            $"Inception Score ({ScorerEpochs} epochs, kept in {cached}; --scorer MODEL skips this)");
        var batches = Batching.Count(train.Count, options.BatchSize);
        var result = new Trainer
        {
            OnBatch = (epoch, b, _) => progress?.Report(new JobProgress(scorerStage, (epoch - 1) * batches + b, ScorerEpochs * batches)),
        }.Train(train, test, options, cached);
        JobProgress.Say(progress, stage, $"scorer test accuracy {result.TestAccuracy:P2}");
        return result.Model;
    }

    /// <summary>Epochs of the default scorer LeNet.</summary>
    public const int ScorerEpochs = 2;
}
