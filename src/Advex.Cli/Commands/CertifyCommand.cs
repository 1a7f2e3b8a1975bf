namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using Advex.Evaluation.Smoothing;
using Advex.Workflows;
using Spectre.Console;

/// <summary>
/// <c>advex certify</c>: certified L2 robustness by randomized smoothing (Cohen, Rosenfeld &amp; Kolter 2019's
/// CERTIFY) — certified accuracy against radius as a table, JSON and a plot; per-sample records, resume, shards and
/// local worker processes with --out.
/// </summary>
public static class CertifyCommand
{
    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var sigma = new Option<double>("--sigma") { Description = "σ of the Gaussian noise, on pixels in [0,1]", Required = true };
        var n0 = new Option<int>("--n0") { Description = "noise draws that select the top class", DefaultValueFactory = _ => 100 };
        var n = new Option<int>("--n") { Description = "noise draws that estimate its probability", DefaultValueFactory = _ => 100_000 };
        var alpha = new Option<double>("--alpha") { Description = "failure probability of each certificate", DefaultValueFactory = _ => 0.001 };
        var noiseBatch = new Option<int>("--noise-batch") { Description = "noisy copies per forward pass (results do not depend on it)", DefaultValueFactory = _ => 1000 };
        var radii = new Option<string?>("--radii") { Description = "comma list of L2 radii reported besides 0,0.25,0.5,0.75,1" };
        var seed = Opts.Seed();
        var json = Opts.Json();
        var report = new Option<string?>("--report") { Description = "folder for certify.json and the certified-accuracy plot" };
        var outDir = new Option<string?>("--out") { Description = "certification folder: run.json, samples.jsonl (one record per sample), certify.json" };
        var resume = new Option<bool>("--resume") { Description = "continue the certification in --out from its records" };
        var shard = new Option<string?>("--shard") { Description = "K/N (0-based): certify the samples with index mod N = K; auto as for eval" };
        var workers = new Option<int?>("--workers") { Description = "run N one-thread shard processes (at most one per sample and per core; they end with this process) and merge them into --out" };
        var quiet = Opts.Quiet();
        var cmd = new Command("certify", "Certified L2 robustness by randomized smoothing (Cohen et al. 2019): certified accuracy against radius; per-sample records, resume, shards and workers with --out.")
        {
            sigma, n0, n, alpha, noiseBatch, radii, seed, json, report, outDir, resume, shard, workers, quiet,
        };
        source.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var job = new CertifyJob
            {
                Smoothing = new SmoothingOptions(p.GetValue(sigma), p.GetValue(n0), p.GetValue(n), p.GetValue(alpha), p.GetValue(noiseBatch)),
                Seed = p.GetValue(seed),
                Radii = p.GetValue(radii) is { } r ? Opts.ParseList(r, "--radii") : [],
                Shard = p.GetValue(shard) is { } s ? Evaluation.Shard.Parse(s) : Evaluation.Shard.All,
                Json = p.GetValue(json), ReportDir = p.GetValue(report), OutDir = p.GetValue(outDir), Resume = p.GetValue(resume),
                Command = ui.CommandLine,
            }.Validate();
            if (p.GetValue(workers) is { } w)
            {
                if (w < 1) throw new AdvexException($"--workers must be at least 1 (got {w})");
                if (job.OutDir is null) throw new AdvexException("--workers needs --out (the folder the shards are merged into)");
                if (job.Shard.Count > 1) throw new AdvexException("--workers and --shard exclude each other (the workers are the shards)");
                CertifyWorkers.Check(w, job);
            }
            using var claim = Outputs.Claim(ui, [(job.ReportDir, "--report"), (job.OutDir, "--out")], [(job.Json, "--json")]);
            var modelPath = source.ModelPath(p);
            using var classifier = source.LoadModel(p);
            using var dataset = source.LoadData(p);
            if (p.GetValue(workers) is { } count)
            {
                var config = CertifyConfig.Of(classifier, modelPath, dataset, job.Smoothing, job.Seed);
                Print(ui, ui.Job("workers", progress => CertifyWorkers.Run(WorkerArgs.Of(p), count, job, config, progress)));
                return 0;
            }
            Print(ui, ui.Job("certify", progress => CertifyWorkflow.Run(classifier, dataset, job, modelPath, progress)));
            return 0;
        });
        return cmd;
    }

    public static void Print(Ui ui, CertifyOutcome outcome)
    {
        var r = outcome.Report;
        var table = new Table().Title("Certified accuracy (L2)").AddColumns("radius", "certified accuracy");
        foreach (var (radius, value) in r.CertifiedAccuracy) table.AddRow(radius, $"{value:P2}");
        ui.Write(table);
        ui.Line(string.Create(CultureInfo.InvariantCulture,
            $"σ={r.Sigma}, n0={r.N0}, n={r.N}, α={r.Alpha}: {r.Data.Count} samples, smoothed accuracy {r.SmoothedAccuracy:P2}, abstained {r.AbstainRate:P2}, {r.Seconds:F1} s"));
        foreach (var f in outcome.Figures) ui.Line($"wrote {f}");
    }
}
