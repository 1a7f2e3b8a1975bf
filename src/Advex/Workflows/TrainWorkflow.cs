namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using Advex.Reporting;
using Advex.Training;

/// <summary>What a <see cref="TrainJob"/> produced: the trained model (the caller disposes it) and the summary that
/// <c>training.json</c> holds.</summary>
public sealed record TrainOutcome(Classifier Model, TrainingSummary Summary, string OutDir) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// <c>advex train</c> as a library call: loads the data, holds out the adversarial-training slice, trains (with
/// <see cref="Hardening"/> when asked), writes <c>loss.png</c>, <c>accuracy.png</c> and <c>training.json</c> beside
/// the model and checkpoints, and returns the model with its summary.
/// </summary>
public static class TrainWorkflow
{
    /// <summary>The run's summary in its folder (the <c>--json</c> schema of training).</summary>
    public const string SummaryFile = "training.json";

    public static TrainOutcome Run(TrainJob job, IProgress<JobProgress>? progress = null, Trainer? trainer = null)
    {
        var options = job.Options.Validate();
        var adversarial = job.Adversarial;
        var clock = Stopwatch.StartNew();
        using var all = DataSource.Load(job.Data, "train", job.DataDir, job.Classes, job.Limit, job.DataOptions);
        using var test = DataSource.Load(job.Data, "test", job.DataDir, job.Classes, null, job.DataOptions);
        if (!all.Labelled)
            throw new AdvexException($"data {job.Data} is unlabelled (its images sit directly in the folder): training needs one sub-folder per class");
        if (!all.ClassNamesKnown)
            throw new AdvexException(
                $"data {job.Data} does not name its classes: give classes K (its training labels span 0..{all.LabelArray.Max()})");
        var (train, heldout) = adversarial is { Heldout: > 0 } ? Hardening.Split(all, adversarial.Heldout) : (all, null);
        using var ownedTrain = ReferenceEquals(train, all) ? null : train;
        using var ownedHeldout = heldout;
        using var hardening = adversarial is null ? null : new Hardening(adversarial, heldout, options.Seed);
        var stage = $"train {options.Architecture}";
        JobProgress.Say(progress, stage, Describe(job, train.Count, heldout?.Count ?? 0, test.Count));

        var batches = Batching.Count(train.Count, options.BatchSize);
        var t = (hardening?.Apply(trainer ?? new Trainer()) ?? trainer ?? new Trainer()) with
        {
            OnBatch = (epoch, b, _) =>
                progress?.Report(new JobProgress(stage, (epoch - 1) * batches + b, options.Epochs * batches)),
            OnEpoch = m => JobProgress.Say(progress, stage, EpochLine(m)),
            OnResume = (epoch, dir) => JobProgress.Say(progress, stage,
                $"resuming after epoch {epoch} of {options.Epochs} from the checkpoint in {dir}"),
        };
        var provenance = new Dictionary<string, object?> { ["data_dir"] = job.DataDir, ["limit"] = job.Limit };
        if (job.DataOptions != DataOptions.None) provenance["data_options"] = Describe(job.DataOptions);
        if (adversarial != null) provenance["adversarial"] = adversarial;
        var result = t.Train(train, test, options, job.OutDir, job.Resume, provenance);

        TrainingFigures.Write(job.OutDir, result.History);
        var summary = new TrainingSummary(result.TestAccuracy, result.History.ToList(),
            result.PerClassAccuracy.Select((a, c) => new ClassAccuracy(c, test.ClassNames[c], a)).ToList(),
            job.Data, options, adversarial, hardening is { Options.EarlyStopping: true } ? hardening.EarlyStoppingState : null,
            clock.Elapsed.TotalSeconds);
        JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        if (job.Json != null) JsonOutput.Write(job.Json, summary);
        return new TrainOutcome(result.Model, summary, Path.GetFullPath(job.OutDir));
    }

    /// <summary>The data options given, by their flag names (model.json's <c>training.data_options</c>).</summary>
    private static Dictionary<string, object> Describe(DataOptions o)
    {
        var given = new Dictionary<string, object>();
        if (o.Resize is { } r) given["resize"] = r;
        if (o.CenterCrop is { } c) given["center_crop"] = c;
        if (o.Grayscale) given["grayscale"] = true;
        if (o.Label is { } l) given["label"] = l;
        return given;
    }

    private static string Describe(TrainJob job, int train, int heldout, int test)
    {
        var o = job.Options;
        var a = job.Adversarial;
        return $"Training {o.Architecture} on {job.Data} ({train} train / {heldout} held out / {test} test), {o.Epochs} epochs, " +
               $"{o.Optimizer} lr {o.Lr} ({o.LrSchedule}), seed {o.Seed}" + (a is null ? "" :
                   $"; adversarial {a.Method} ε {a.Eps} α {a.Alpha:g4} steps {a.Steps}" +
                   (a.Method == "n-fgsm" ? $" noise {a.Noise:g3}·ε" : "") +
                   (a.GradAlign > 0 ? $" grad-align λ {a.GradAlign:g3}" : "") +
                   $" early stopping {(a.EarlyStopping ? "on" : "off")}");
    }

    private static string EpochLine(EpochMetrics m) =>
        $"epoch {m.Epoch,3}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} " +
        $"acc {m.TestAccuracy:P2} | lr {m.Lr:g3} | {m.Seconds:F1}s" +
        string.Concat(m.Extra.Select(kv => $" | {kv.Key} {kv.Value:P2}"));
}
