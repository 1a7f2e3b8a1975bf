namespace Advex.Workflows;

using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// <c>eval --workers N</c>: runs N local shard processes (<c>advex eval … --shard k/N --out DIR/shards/shard-k</c>,
/// <see cref="ShardProcesses"/>: one libtorch thread each, capped at the samples and the cores, dying with their
/// parent, the first failure stopping the others with the shard folders kept for <c>resume</c>), merges them into DIR
/// (<see cref="MergeWorkflow"/>) and removes the shard folders; with a report folder, the merged report's figures
/// (example grid included) go there. Without a stated memory budget each worker gets an equal share of the default
/// one (<see cref="BatchPlanner"/>). DIR itself is checked like any evaluation folder: a folder holding another
/// evaluation is never replaced.
/// </summary>
public static class EvalWorkers
{
    public const string ShardsFolder = ShardProcesses.ShardsFolder;

    /// <param name="evalArgs">the <c>eval</c> command line without its output, shard and worker options</param>
    /// <param name="config">the evaluation's configuration, to check DIR against</param>
    public static EvalOutcome Run(IReadOnlyList<string> evalArgs, int workers, string outDir, bool resume, bool figures,
        string command, RunConfig config, IProgress<JobProgress>? progress = null, string? json = null, string? reportDir = null)
    {
        if (workers < 1) throw AdvexException.About($"workers must be at least 1 (got {workers})", "workers");
        var shardsDir = Path.Combine(outDir, ShardsFolder);
        CheckFolder(outDir, resume, config);
        var finished = EvalFolder.HoldsEvaluation(outDir) && FileKinds.Of(shardsDir) == FileKind.Missing;
        EvalOutcome outcome;
        if (finished)
        {
            JobProgress.Say(progress, "workers", $"{outDir} holds the finished evaluation; recomputing its figures from its records");
            outcome = MergeWorkflow.Into([outDir], outDir, figures, command, requireExamples: reportDir is not null);
        }
        else
        {
            var shards = ShardProcesses.Run("eval", evalArgs, workers, config.Data.Count, shardsDir, resume, progress, MemoryShare);
            outcome = MergeWorkflow.Into(shards, outDir, figures, command, requireExamples: reportDir is not null);
            Directory.Delete(shardsDir, recursive: true);
        }
        if (json is not null) Reporting.JsonOutput.Write(json, outcome.Report);
        if (reportDir is null) return outcome;
        var written = EvalWorkflow.Write(outcome.Report, new EvalOutputs(ReportDir: reportDir), config.ClassNames, config.Model.InputShape);
        return outcome with { Figures = [.. outcome.Figures, .. written.Figures] };
    }

    /// <summary>DIR may hold nothing (a fresh start), or on resume the same evaluation (finished or not).</summary>
    private static void CheckFolder(string outDir, bool resume, RunConfig config)
    {
        if (!EvalFolder.HoldsEvaluation(outDir)) return;
        if (!resume) EvalFolder.RefuseExisting(outDir, "eval", "resume continues it; or choose another folder");
        EvalFolder.RefuseLinks(outDir);
        var old = EvalFolder.ReadManifest(outDir);
        if (ConfigDifference.Between(old.Configuration, config) is { } difference)
            throw new AdvexException($"resume: {outDir} was made by another evaluation ({difference}); use the same model, data and options, or another folder");
    }

    /// <summary>The workers share the default memory budget; each plans its batch within its share.</summary>
    private static IEnumerable<string> MemoryShare(IReadOnlyList<string> args, int workers)
    {
        if (args.Contains("--max-memory")) return [];
        var share = (long)(BatchPlanner.DefaultShare * (Native.ProcessMemory.Available() ?? BatchPlanner.FallbackBudget)) / workers;
        return ["--max-memory", share.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }
}
