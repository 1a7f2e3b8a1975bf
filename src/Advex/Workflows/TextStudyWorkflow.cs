namespace Advex.Workflows;

using Advex.Data;
using Advex.Reporting;
using Advex.Text;
using Advex.Training;
using static TorchSharp.torch;

/// <summary>
/// <c>advex text train</c> as a library call (step 002 of the original notes): trains the sentiment <see cref="TextCnn"/> once per seed
/// (<see cref="TextTrainer"/>), writes each run's curves and <c>training.json</c>, and returns the clean and
/// embedding-PGD accuracies as mean ± sample sd over the seeds (<see cref="TextTrainingSummary"/>).
/// </summary>
public static class TextStudyWorkflow
{
    /// <summary>The summary of a run (and, with several seeds, of the study) in its folder.</summary>
    public const string SummaryFile = "training.json";

    /// <summary>The folder of one seed's run when the study has several seeds.</summary>
    public static string SeedDir(int seed) => $"seed-{seed}";

    public static TextTrainingSummary Run(TextStudyJob job, IProgress<JobProgress>? progress = null)
    {
        job.Validate();
        Native.TorchRuntime.EnsureLoaded();
        var previous = get_num_threads();
        set_num_threads(job.Threads);
        try
        {
            return Study(job, progress);
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    private static TextTrainingSummary Study(TextStudyJob job, IProgress<JobProgress>? progress)
    {
        var options = job.Options;
        using var corpus = SentimentCorpus.Load(job.DataDir, options.MaxLength);
        var data = new TextDataInfo(corpus.Dir, corpus.Train.Count, corpus.Val.Count, corpus.Test.Count, corpus.Vocabulary.Count);
        var attack = new TextAttackInfo("embedding-pgd", "l2 per sentence", options.AttackEps.Order().ToArray(), options.AttackSteps,
            "2.5*eps/steps");
        JobProgress.Say(progress, "text train", $"Training TextCnn on {data.Train} train / {data.Val} val / {data.Test} test sentences (vocabulary " +
            $"{data.Vocabulary}), {options.Epochs} epochs, adv {options.Adv}" +
            (options.Adv == "none" ? "" : $" eps {options.Eps}") + (options.Adv == "pgd" ? $" alpha {options.Alpha} steps {options.AdvSteps}" : "") +
            $", evaluation PGD L2 eps {string.Join(",", attack.Eps)} per sentence, {options.AttackSteps} steps");
        var runs = new List<TextSeedRun>();
        foreach (var s in job.Seeds ?? [options.Seed])
        {
            var o = options with { Seed = s };
            var stage = $"text train seed {s}";
            var batches = Batching.Count(corpus.Train.Count, o.BatchSize);
            var result = new TextTrainer
            {
                OnBatch = (epoch, b, _) => progress?.Report(new JobProgress(stage, (epoch - 1) * batches + b, o.Epochs * batches)),
                OnEpoch = m => JobProgress.Say(progress, stage,
                    $"seed {s} epoch {m.Epoch,3}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} " +
                    $"acc {m.TestAccuracy:P2} | val acc {m.Extra["val_accuracy"]:P2} | {m.Seconds:F1}s"),
            }.Train(corpus, o);
            result.Model.Dispose();
            JobProgress.Say(progress, stage, $"seed {s}: clean test accuracy {result.TestAccuracy:P2}, embedding-PGD accuracy " +
                string.Join(", ", result.Robust.Select(r => $"{r.Accuracy:P2} at eps {r.Eps}")) + $" ({result.Seconds:F1}s)");
            var run = new TextSeedRun(s, result.TestAccuracy, result.ValAccuracy, result.RobustAccuracy, result.Robust.ToList(),
                result.Seconds, result.History.ToList());
            runs.Add(run);
            var runDir = job.Seeds is null ? job.OutDir : Path.Combine(job.OutDir, SeedDir(s));
            TrainingFigures.Write(runDir, run.Epochs);
            JsonOutput.Write(Path.Combine(runDir, SummaryFile), Summarize([run], attack, data, o));
        }

        var summary = Summarize(runs, attack, data, options);
        if (job.Seeds != null) JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        if (job.Json != null) JsonOutput.Write(job.Json, summary);
        return summary;
    }

    private static TextTrainingSummary Summarize(List<TextSeedRun> runs, TextAttackInfo attack, TextDataInfo data, TextTrainOptions options)
    {
        var (testMean, testSd) = MeanSd(runs.Select(r => r.TestAccuracy));
        var (robustMean, robustSd) = MeanSd(runs.Select(r => r.RobustAccuracy));
        var (valMean, valSd) = MeanSd(runs.Select(r => r.ValAccuracy));
        var epochs = runs.Count == 1 ? runs[0].Epochs : MeanEpochs(runs);
        var byEps = attack.Eps.Select(e =>
        {
            var (m, sd) = MeanSd(runs.Select(r => r.Robust.First(p => p.Eps == e).Accuracy));
            return new RobustSummary(e, m, sd);
        }).ToList();
        return new TextTrainingSummary(testMean, testSd, robustMean, robustSd, byEps, valMean, valSd,
            runs.Select(r => r.Seed).ToArray(), epochs, runs, attack, data, options);
    }

    /// <summary>Mean and sample standard deviation (n − 1; 0 for a single value).</summary>
    public static (double Mean, double Sd) MeanSd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return (mean, sd);
    }

    /// <summary>Per-epoch means over the runs (up to the shortest run).</summary>
    private static List<EpochMetrics> MeanEpochs(List<TextSeedRun> runs) =>
        Enumerable.Range(0, runs.Min(r => r.Epochs.Count)).Select(i =>
        {
            var at = runs.Select(r => r.Epochs[i]).ToList();
            return new EpochMetrics(i + 1, at.Average(m => m.TrainLoss), at.Average(m => m.TrainAccuracy),
                at.Average(m => m.TestLoss), at.Average(m => m.TestAccuracy), at[0].Lr, at.Average(m => m.Seconds))
            {
                Extra = at[0].Extra.Keys.ToDictionary(k => k, k => at.Average(m => m.Extra.GetValueOrDefault(k, double.NaN))),
            };
        }).ToList();
}
