namespace Advex.Workflows;

using Advex.Generative;
using Advex.IO;
using Advex.Models;
using Advex.Training;

/// <summary>
/// Refuses, before any work, to train into a folder that already holds a run of the same command (a model or
/// generator, its checkpoint or its summary) unless the job resumes it: a trained model is never silently replaced,
/// as a finished evaluation is not. One rule for <c>train</c>, <c>gan train</c>, <c>advgan train</c> and
/// <c>text train</c> (which cannot resume, so is always refused).
/// </summary>
public static class TrainOutputCheck
{
    /// <summary>The entries a training run writes into its folder; any of them (a link, a broken one) counts.</summary>
    public static IReadOnlyList<string> OwnEntries { get; } =
        [ModelStore.ManifestName, ModelStore.WeightsName, TrainingCheckpoint.Dir, TrainWorkflow.SummaryFile];

    /// <summary>The entries a GAN run writes (the cached scorer alone is not a run: it is reused).</summary>
    public static IReadOnlyList<string> GanEntries { get; } =
        [GanTrainer.ManifestName, GanTrainer.GeneratorWeights, GanTrainer.CheckpointDir, GanWorkflow.SummaryFile];

    /// <summary>The entries an AdvGAN run writes.</summary>
    public static IReadOnlyList<string> AdvGanEntries { get; } =
        [AdvGanStore.ManifestName, AdvGanStore.WeightsName, AdvGanTrainer.CheckpointDir, AdvGanWorkflow.SummaryFile];

    public static void Check(TrainJob job) =>
        Refuse(job.OutDir, job.Resume, OwnEntries, "a training run", "a trained model");

    public static void Check(GanJob job) =>
        Refuse(job.OutDir, job.Resume, GanEntries, "a GAN training run", "a trained generator");

    public static void Check(AdvGanJob job) =>
        Refuse(job.OutDir, job.Resume, AdvGanEntries, "an AdvGAN training run", "a trained generator");

    /// <summary>A text study writes its summary and one folder per seed; it has no checkpoint to resume from.</summary>
    public static void Check(TextStudyJob job) =>
        Refuse(job.OutDir, resume: null, [TextStudyWorkflow.SummaryFile, .. (job.Seeds ?? []).Select(TextStudyWorkflow.SeedDir)],
            "a text training run", "its result");

    /// <param name="resume">whether the job resumes; null: the command cannot resume.</param>
    private static void Refuse(string outDir, bool? resume, IEnumerable<string> entries, string run, string product)
    {
        if (resume == true) return;
        var found = entries.FirstOrDefault(e => FileKinds.Of(Path.Combine(outDir, e)) != FileKind.Missing);
        if (found == null) return;
        var message = $"{outDir} already holds {run} ({found}); {product} is never replaced: train into another folder";
        throw resume == null
            ? new AdvexException(message)
            : AdvexException.About(message + ", or continue this one with resume", "resume");
    }
}
