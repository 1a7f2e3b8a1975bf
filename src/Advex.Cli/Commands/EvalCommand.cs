namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;
using Spectre.Console;

/// <summary><c>advex eval</c>: robustness of a model under one or more attacks over a list of ε.</summary>
public static class EvalCommand
{
    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var attack = new Option<string>("--attack") { Description = $"attack name(s), comma-separated: {string.Join(" ", AttackRegistry.Names)}", DefaultValueFactory = _ => "fgsm" };
        var eps = new Option<string>("--eps") { Description = "comma list of ε", DefaultValueFactory = _ => "0.3" };
        var targeted = new Option<string?>("--targeted") { Description = "random, least-likely or a class index" };
        var json = Opts.Json();
        var report = new Option<string?>("--report") { Description = "folder for plots and example grids" };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 256 };
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var attackOptions = new AttackOptions();
        var cmd = new Command("eval", "Evaluate a model's robustness: accuracy under attack for each ε, sanity checks, JSON and figures.")
        {
            attack, eps, targeted, json, report, batch, seed, quiet,
        };
        source.AddTo(cmd);
        attackOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var names = p.GetValue(attack)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0) throw new AdvexException("--attack: empty list");
            var epsList = Opts.ParseEps(p.GetValue(eps)!);
            var settings = attackOptions.Read(p);
            var attacks = AttackSweep.Build(names, epsList, settings);
            using var claim = Outputs.Claim(ui, p.GetValue(report), "--report", (p.GetValue(json), "--json"));
            var modelPath = source.ModelPath(p);
            using var classifier = source.LoadModel(p);
            foreach (var a in attacks) a.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            var options = new EvalOptions
            {
                BatchSize = p.GetValue(batch),
                Seed = p.GetValue(seed),
                Target = TargetMode.Parse(p.GetValue(targeted), classifier.Classes),
                Eps = epsList,
                Command = ui.CommandLine,
            };
            Run(ui, classifier, dataset, attacks, options, modelPath, p.GetValue(json), p.GetValue(report));
            return 0;
        });
        return cmd;
    }

    /// <summary>Evaluates, prints the table and sanity checks, writes JSON and figures; shared with <c>demo</c>.</summary>
    public static EvalReport Run(Ui ui, Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, string? json, string? reportDir)
    {
        var (report, figures) = ui.Job("attack", progress =>
            EvalWorkflow.Run(model, data, attacks, options, modelPath, json, reportDir, progress));
        ui.Line($"clean accuracy: {report.CleanAccuracy:P2} on {data.Count} {data.Spec} {data.Split} samples");
        var table = new Table().Title("Robustness").AddColumns("attack", "norm", "ε", "robust acc", "success",
            "mean L2", "median L2", "mean L∞", "seconds", "img/s");
        foreach (var r in report.Runs)
            table.AddRow(r.Attack, r.Norm, r.Eps?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-",
                $"{r.RobustAccuracy:P2}", $"{r.AttackSuccessRate:P2}", $"{r.MeanL2:F3}", $"{r.MedianL2:F3}", $"{r.MeanLinf:F3}",
                $"{r.Seconds:F2}", $"{r.ImagesPerSecond:F0}");
        ui.Write(table);
        foreach (var r in report.Runs.Where(r => r.RobustAccuracyAtEps is not null))
            ui.Line($"{r.Attack} ({r.Norm}, minimisation): robust accuracy at " +
                    string.Join(", ", r.RobustAccuracyAtEps!.Select(kv => $"ε={kv.Key}: {kv.Value:P2}")));
        if (report.Runs.Select(r => r.Attack).Distinct().Count() > 1)
            foreach (var w in report.WorstCase)
                ui.Line($"worst case over {string.Join("+", w.Attacks)} at ε={w.Eps?.ToString(CultureInfo.InvariantCulture) ?? "-"} ({w.Norm}): robust accuracy {w.RobustAccuracy:P2}");
        foreach (var s in report.Sanity)
        {
            if (s.Ok) ui.Line($"ok    {s.Check}: {s.Detail}");
            else ui.Warn($"{s.Check}: {s.Detail}");
        }
        foreach (var f in figures) ui.Line($"wrote {f}");
        return report;
    }
}
