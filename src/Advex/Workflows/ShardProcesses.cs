namespace Advex.Workflows;

using System.Diagnostics;
using System.Reflection;
using Advex.IO;

/// <summary>
/// The local worker processes behind <c>--workers N</c> (<see cref="EvalWorkers"/>, <see cref="CertifyWorkers"/>):
/// this program run again as <c>advex VERB … --shard k/N --out DIR/shards/shard-k --quiet</c>, one libtorch thread
/// each (<c>OMP_NUM_THREADS=1</c>); N is capped at the samples and at the cores (saying why), or on resume is the
/// number of shard folders already there. The workers die with their parent: each watches its standard input, a pipe
/// from the parent that the kernel closes when the parent ends, kill -9 included (<see cref="ParentWatch"/>). A worker
/// that fails stops the others at once and fails the job with its last error line; the shard folders stay, so
/// <c>resume</c> continues every shard where it stopped.
/// </summary>
public static class ShardProcesses
{
    public const string ShardsFolder = "shards";

    /// <summary>Runs the workers to the end and returns their shard folders, in shard order.</summary>
    /// <param name="verb">the command the workers run (<c>eval</c>, <c>certify</c>)</param>
    /// <param name="args">its command line without the output, shard and worker options</param>
    /// <param name="extra">more arguments for every worker, from the arguments and the number of workers</param>
    public static IReadOnlyList<string> Run(string verb, IReadOnlyList<string> args, int workers, int samples, string shardsDir,
        bool resume, IProgress<JobProgress>? progress, Func<IReadOnlyList<string>, int, IEnumerable<string>>? extra = null)
    {
        if (workers < 1) throw AdvexException.About($"workers must be at least 1 (got {workers})", "workers");
        var n = Count(workers, samples, shardsDir, resume, progress);
        var shards = Enumerable.Range(0, n).Select(k => Path.Combine(shardsDir, $"shard-{k}")).ToList();
        JobProgress.Say(progress, "workers", $"running {n} shard processes (one thread each) into {shardsDir}");
        RunAll(verb, args, shards, resume, progress, extra);
        return shards;
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
    private static void RunAll(string verb, IReadOnlyList<string> args, IReadOnlyList<string> shards, bool resume,
        IProgress<JobProgress>? progress, Func<IReadOnlyList<string>, int, IEnumerable<string>>? extra)
    {
        var n = shards.Count;
        var children = new List<(Process Process, System.Text.StringBuilder Err)>();
        var latest = new JobProgress?[n];
        var more = extra?.Invoke(args, n).ToArray() ?? [];
        try
        {
            for (var k = 0; k < n; k++)
            {
                var slot = k;
                children.Add(Start(verb, args, shards[k], $"{k}/{n}", resume, more,
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

    private static (Process, System.Text.StringBuilder) Start(string verb, IReadOnlyList<string> args, string shard, string k,
        bool resume, IEnumerable<string> extra, Action<JobProgress> onProgress)
    {
        var psi = Launcher(verb);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--out", shard, "--shard", k, "--quiet" }) psi.ArgumentList.Add(a);
        if (resume) psi.ArgumentList.Add("--resume");
        foreach (var a in extra) psi.ArgumentList.Add(a);
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
    private static ProcessStartInfo Launcher(string verb)
    {
        var self = Environment.ProcessPath ?? throw new AdvexException("workers: cannot find this program's path");
        var psi = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location
                                 ?? throw new AdvexException("workers: cannot find the advex assembly"));
        psi.ArgumentList.Add(verb);
        return psi;
    }
}
