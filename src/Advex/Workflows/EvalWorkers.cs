namespace Advex.Workflows;

using System.Diagnostics;
using System.Reflection;

/// <summary>
/// <c>--workers N</c>: runs N local shard processes (<c>advex eval … --shard k/N --out DIR/shards/shard-k</c>, one
/// libtorch thread each: <c>OMP_NUM_THREADS=1</c>), waits for all, merges them into DIR (<see cref="MergeWorkflow"/>)
/// and removes the shard folders; with a report folder, the merged report's figures (example grid included) go
/// there. Without a stated memory budget each worker gets an equal share of the default one. A failed worker fails the evaluation with its last error line; its shard folder
/// stays, so <c>resume</c> continues every shard where it stopped.
/// </summary>
public static class EvalWorkers
{
    public const string ShardsFolder = "shards";

    /// <param name="evalArgs">the <c>eval</c> command line without its output, shard and worker options</param>
    public static EvalOutcome Run(IReadOnlyList<string> evalArgs, int workers, string outDir, bool resume, bool figures,
        string command, IProgress<JobProgress>? progress = null, string? json = null, string? reportDir = null)
    {
        if (workers < 1) throw new AdvexException($"workers must be at least 1 (got {workers})");
        var shards = Enumerable.Range(0, workers).Select(k => Path.Combine(outDir, ShardsFolder, $"shard-{k}")).ToList();
        JobProgress.Say(progress, "workers", $"running {workers} shard processes (one thread each) into {Path.Combine(outDir, ShardsFolder)}");
        // the workers share the default memory budget (each plans its batch within its share)
        var share = ((long)(Evaluation.BatchPlanner.DefaultShare * (Native.ProcessMemory.Available() ?? Evaluation.BatchPlanner.FallbackBudget)) / workers)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var children = new List<(Process Process, System.Text.StringBuilder Err)>();
        for (var k = 0; k < workers; k++)
        {
            var psi = Launcher();
            foreach (var a in evalArgs) psi.ArgumentList.Add(a);
            foreach (var a in new[] { "--out", shards[k], "--shard", $"{k}/{workers}", "--quiet" }) psi.ArgumentList.Add(a);
            if (resume) psi.ArgumentList.Add("--resume");
            if (!evalArgs.Contains("--max-memory")) foreach (var a in new[] { "--max-memory", share }) psi.ArgumentList.Add(a);
            psi.Environment["OMP_NUM_THREADS"] = "1";
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.UseShellExecute = false;
            var err = new System.Text.StringBuilder();
            var p = Process.Start(psi) ?? throw new AdvexException("workers: could not start a worker process");
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            children.Add((p, err));
        }
        try
        {
            foreach (var (p, _) in children)
            {
                while (!p.WaitForExit(500))
                    Interruption.ThrowIfRequested(() => "while the workers ran; their shard folders are kept (resume continues them)");
            }
        }
        finally
        {
            foreach (var (p, _) in children)
                if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        for (var k = 0; k < workers; k++)
        {
            var (p, err) = children[k];
            if (p.ExitCode != 0)
            {
                var last = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
                throw new AdvexException($"worker {k}/{workers} failed (exit {p.ExitCode}): {last}");
            }
            p.Dispose();
        }
        var outcome = MergeWorkflow.Run(shards, outDir, figures, command);
        Directory.Delete(Path.Combine(outDir, ShardsFolder), recursive: true);
        if (json is not null) Reporting.JsonOutput.Write(json, outcome.Report);
        if (reportDir is null) return outcome;
        var c = EvalFolder.ReadManifest(outDir).Configuration;
        var written = EvalWorkflow.Write(outcome.Report, new EvalOutputs(ReportDir: reportDir), c.ClassNames, c.Model.InputShape);
        return outcome with { Figures = [.. outcome.Figures, .. written.Figures] };
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
