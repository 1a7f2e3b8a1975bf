namespace Advex.Workflows;

using Advex.Evaluation;
using Advex.Evaluation.Smoothing;
using Advex.IO;

/// <summary>
/// <c>certify --workers N</c>: runs N local shard processes (<c>advex certify … --shard k/N --out
/// DIR/shards/shard-k</c>, <see cref="ShardProcesses"/>), merges their records into DIR
/// (<see cref="CertifyWorkflow.Merge"/>: the same <c>certify.json</c> as one process would write, timing aside) and
/// removes the shard folders. DIR may hold nothing, or on resume the same certification: unfinished (its shard
/// folders are continued) or finished (its report is recomputed from its records). Another certification there is
/// never replaced.
/// </summary>
public static class CertifyWorkers
{
    /// <param name="args">the <c>certify</c> command line without its output, shard and worker options</param>
    /// <param name="config">the certification's configuration, to check DIR against</param>
    public static CertifyOutcome Run(IReadOnlyList<string> args, int workers, CertifyJob job, CertifyConfig config,
        IProgress<JobProgress>? progress = null)
    {
        var outDir = Check(workers, job);
        var shardsDir = Path.Combine(outDir, ShardProcesses.ShardsFolder);
        var holds = CheckFolder(outDir, job.Resume, config);
        CertifyOutcome outcome;
        if (holds && FileKinds.Of(shardsDir) == FileKind.Missing)
        {
            JobProgress.Say(progress, "workers", $"{outDir} holds the finished certification; recomputing its report from its records");
            outcome = CertifyWorkflow.MergeInto([outDir], outDir, job.Command, job.Json, job.ReportDir);
        }
        else
        {
            var shards = ShardProcesses.Run("certify", args, workers, config.Data.Count, shardsDir, job.Resume, progress);
            outcome = CertifyWorkflow.MergeInto(shards, outDir, job.Command, job.Json, job.ReportDir);
            Directory.Delete(shardsDir, recursive: true);
        }
        return outcome;
    }

    /// <summary>Checks the job for workers before any work (nothing is written yet) and returns its folder.</summary>
    public static string Check(int workers, CertifyJob job)
    {
        if (workers < 1) throw AdvexException.About($"workers must be at least 1 (got {workers})", "workers");
        var outDir = job.OutDir ?? throw AdvexException.About("workers needs out, the folder the shards are merged into", "workers", "out");
        if (job.Shard.Count > 1) throw AdvexException.About("workers and shard exclude each other (the workers are the shards)", "workers", "shard");
        var shardsDir = Path.GetFullPath(Path.Combine(outDir, ShardProcesses.ShardsFolder));
        foreach (var (path, name) in new[] { (job.Json, "json"), (job.ReportDir, "report") })
            if (path is not null && Path.GetFullPath(path) is var full && (full == shardsDir || OutputPath.IsInside(full, shardsDir)))
                throw AdvexException.About($"{name} {path} lies inside {shardsDir}, the workers' shard folders (removed after the merge); write it elsewhere", name);
        return outDir;
    }

    /// <summary>True when DIR holds a certification already: refused unless resumed with the same configuration.</summary>
    private static bool CheckFolder(string outDir, bool resume, CertifyConfig config)
    {
        if (FileKinds.Of(Path.Combine(outDir, RunManifest.FileName)) == FileKind.Missing) return false;
        if (!resume) throw new AdvexException($"{outDir} already holds a certification or evaluation (resume continues it; or choose another folder)");
        var old = CertifyFolder.ReadManifest(outDir);
        if (ConfigDifference.Between(old.Configuration, config) is { } difference)
            throw new AdvexException($"resume: {outDir} was made by another certification ({difference}); use the same model, data and options, or another folder");
        return true;
    }
}
