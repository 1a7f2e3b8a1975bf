namespace Advex.Workflows;

using Advex.IO;
using Advex.Models;
using Advex.Training;

/// <summary>
/// Refuses, before any work, to train into a folder that already holds a training run (a model, its checkpoint or its
/// summary) unless the job resumes it: a trained model is never silently replaced, as a finished evaluation is not.
/// </summary>
public static class TrainOutputCheck
{
    /// <summary>The entries a training run writes into its folder; any of them (a link, a broken one) counts.</summary>
    public static IReadOnlyList<string> OwnEntries { get; } =
        [ModelStore.ManifestName, ModelStore.WeightsName, TrainingCheckpoint.Dir, TrainWorkflow.SummaryFile];

    public static void Check(TrainJob job)
    {
        if (job.Resume) return;
        var found = OwnEntries.FirstOrDefault(e => FileKinds.Of(Path.Combine(job.OutDir, e)) != FileKind.Missing);
        if (found != null)
            throw AdvexException.About(
                $"{job.OutDir} already holds a training run ({found}); a trained model is never replaced: train into another " +
                "folder, or continue this one with resume", "resume");
    }
}
