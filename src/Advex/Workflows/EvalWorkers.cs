namespace Advex.Workflows;

using System.Diagnostics;
using System.Reflection;
using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// <c>--workers N</c>: runs N local shard processes (<c>advex eval … --shard k/N --out DIR/shards/shard-k</c>, one
/// libtorch thread each: <c>OMP_NUM_THREADS=1</c>), waits for all, merges them into DIR (<see cref="MergeWorkflow"/>)
/// and removes the shard folders; with a report folder, the merged report's figures (example grid included) go
/// there. N is capped at the samples and at the cores (saying why). The workers die with their parent: each watches
/// its standard input, a pipe from the parent that the kernel closes when the parent ends, kill -9 included
/// (<see cref="ParentWatch"/>). A worker that fails stops the others at once and fails the evaluation with its last
/// error line; the shard folders stay, so <c>resume</c> continues every shard where it stopped. Without a stated
/// memory budget each worker gets an equal share of the default one (<see cref="BatchPlanner"/>). DIR itself is
/// checked like any evaluation folder: a folder holding another evaluation is never replaced.
/// </summary>
public static class EvalWorkers
{
    public const string ShardsFolder = "shards";

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
            var n = Count(workers, config.Data.Count, shardsDir, resume, progress);
            var shards = Enumerable.Range(0, n).Select(k => Path.Combine(shardsDir, $"shard-{k}")).ToList();
            JobProgress.Say(progress, "workers", $"running {n} shard processes (one thread each) into {shardsDir}");
            RunAll(evalArgs, shards, resume, progress);
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

    /// <summary>How many workers run: the shards already there on resume, else the number asked, capped at the
    /// samples (a worker needs one) and the cores (one thread each).</summary>
    private static int Count(int asked, int samples, string shardsDir, bool resume, IProgress<JobProgress>? progress)
    {
        if (resume && FileKinds.Of(shardsDir) == FileKind.Directory)
        {
            var existing = 0;
            while (FileKinds.Of(Path.Combine(shardsDir, $"shard-{existing}")) == FileKind.Directory) existing++;
            if (existing > 0)
            {
                if (existing != asked)
                    JobProgress.Say(progress, "workers", $"resuming the {existing} shard folders already in {shardsDir} (not {asked})");
                return existing;
            }
        }
        var cores = Environment.ProcessorCount;
        var n = Math.Min(asked, Math.Max(1, Math.Min(samples, cores)));
        if (n < asked)
            JobProgress.Say(progress, "workers", $"workers {asked} capped at {n}: " +
                (samples <= cores ? $"the evaluation has {samples} sample(s), and a worker needs at least one" : $"this machine has {cores} cores, and each worker runs one thread"));
        return n;
    }

    /// <summary>Starts every worker and waits for all; the first that fails stops the others. Meanwhile one bar shows
    /// them all: the mean of the workers' own fractions (<see cref="WorkerProgress"/>), named after the stage of the
    /// worker furthest behind.</summary>
    private static void RunAll(IReadOnlyList<string> evalArgs, IReadOnlyList<string> shards, bool resume,
        IProgress<JobProgress>? progress)
    {
        var n = shards.Count;
        var children = new List<(Process Process, System.Text.StringBuilder Err)>();
        var latest = new JobProgress?[n];
        try
        {
            for (var k = 0; k < n; k++)
            {
                var slot = k;
                children.Add(Start(evalArgs, shards[k], $"{k}/{n}", resume, n,
                    p => { lock (latest) latest[slot] = p; }));
            }
            var running = Enumerable.Range(0, n).ToHashSet();
            while (running.Count > 0)
            {
                Interruption.ThrowIfRequested(() => "while the workers ran; their shard folders are kept (resume continues them)");
                if (progress is not null) Combined(latest, n, progress);
                foreach (var k in running.ToList())
                {
                    var (p, err) = children[k];
                    if (!p.WaitForExit(running.Count == 1 ? 500 : 50)) continue;
                    running.Remove(k);
                    if (p.ExitCode != 0)
                    {
                        p.WaitForExit(); // drain stderr
                        string last;
                        lock (err) last = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
                        throw new AdvexException($"worker {k}/{n} failed (exit {p.ExitCode}){(last.Length > 0 ? ": " + last : "")}; " +
                                                 "the other workers were stopped and every shard folder is kept (resume continues them)");
                    }
                }
            }
        }
        finally
        {
            foreach (var (p, _) in children)
            {
                try
                {
                    if (!p.HasExited) p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (InvalidOperationException)
                {
                    // it ended meanwhile
                }
                p.Dispose();
            }
        }
    }

    /// <summary>Reports the workers' combined bar: done = the sum of their fractions, total = their number.</summary>
    private static void Combined(JobProgress?[] latest, int n, IProgress<JobProgress> progress)
    {
        JobProgress?[] now;
        lock (latest) now = (JobProgress?[])latest.Clone();
        if (now.All(p => p is null)) return;
        var fractions = now.Select(p => p is null ? 0 : Math.Clamp(p.Done / p.Total, 0, 1)).ToArray();
        var behind = Array.IndexOf(fractions, fractions.Min());
        var stage = now[behind]?.Stage ?? now.First(p => p is not null)!.Stage;
        progress.Report(new JobProgress($"{n} worker{(n == 1 ? "" : "s")}: {stage}", fractions.Sum(), n));
    }

    private static (Process, System.Text.StringBuilder) Start(IReadOnlyList<string> evalArgs, string shard, string k, bool resume,
        int workers, Action<JobProgress> onProgress)
    {
        var psi = Launcher();
        foreach (var a in evalArgs) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--out", shard, "--shard", k, "--quiet" }) psi.ArgumentList.Add(a);
        if (resume) psi.ArgumentList.Add("--resume");
        if (!evalArgs.Contains("--max-memory"))
        {
            // the workers share the default memory budget; each plans its batch within its share
            var share = (long)(BatchPlanner.DefaultShare * (Native.ProcessMemory.Available() ?? BatchPlanner.FallbackBudget)) / workers;
            foreach (var a in new[] { "--max-memory", share.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        }
        psi.Environment["OMP_NUM_THREADS"] = "1";
        psi.Environment[ParentWatch.Variable] = "1";
        psi.Environment[WorkerProgress.Variable] = "1"; // its bar events come back on its standard output
        psi.RedirectStandardInput = true; // the worker's lifeline: it ends when this pipe closes
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        var err = new System.Text.StringBuilder();
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new AdvexException($"workers: could not start worker {k}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AdvexException($"workers: could not start worker {k} ({psi.FileName}: {e.Message})");
        }
        p.OutputDataReceived += (_, e) => { if (WorkerProgress.Parse(e.Data) is { } progress) onProgress(progress); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, err);
    }

    /// <summary>This program again: the apphost itself, or <c>dotnet</c> with the entry assembly.</summary>
    private static ProcessStartInfo Launcher()
    {
        var self = Environment.ProcessPath ?? throw new AdvexException("workers: cannot find this program's path");
        var psi = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location
                                 ?? throw new AdvexException("workers: cannot find the advex assembly"));
        psi.ArgumentList.Add("eval");
        return psi;
    }
}
