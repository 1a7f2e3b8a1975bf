namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;

/// <summary><c>advex eval</c>: robustness of a model under one or more attacks over a list of ε.</summary>
public static class EvalCommand
{
    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var o = new EvalCliOptions();
        var attackOptions = new AttackOptions();
        var cmd = new Command("eval", "Evaluate a model's robustness: accuracy under attack for each ε, sanity checks, JSON and figures; per-sample records, resume, shards and workers with --out.");
        o.AddTo(cmd);
        source.AddTo(cmd);
        attackOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var names = p.GetValue(o.Attack)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0) throw new AdvexException("--attack: empty list");
            var epsList = Opts.ParseEps(p.GetValue(o.Eps)!);
            var attacks = AttackSweep.Build(names, epsList, attackOptions.Read(p));
            var outputs = new EvalOutputs(p.GetValue(o.Json), p.GetValue(o.Report), p.GetValue(o.Out), p.GetValue(o.Resume));
            using var claim = Outputs.Claim(ui, [(outputs.ReportDir, "--report"), (outputs.OutDir, "--out")], [(outputs.Json, "--json")]);
            var modelPath = source.ModelPath(p);
            using var classifier = source.LoadModel(p);
            foreach (var a in attacks) a.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            var options = o.Read(p, classifier.Classes, epsList, ui.CommandLine);
            if (p.GetValue(o.Workers) is { } workers)
            {
                var (merged, figures) = ui.Job("workers", progress => EvalWorkers.Run(EvalCliOptions.WorkerArgs(p), workers,
                    outputs.OutDir!, outputs.Resume, figures: false, ui.CommandLine, progress, outputs.Json));
                Print(ui, merged, figures);
                return 0;
            }
            Run(ui, classifier, dataset, attacks, options, modelPath, outputs);
            return 0;
        });
        return cmd;
    }

    /// <summary>Evaluates, prints the table and sanity checks, writes JSON and figures; shared with <c>demo</c>.</summary>
    public static EvalReport Run(Ui ui, Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, string? json, string? reportDir) =>
        Run(ui, model, data, attacks, options, modelPath, new EvalOutputs(json, reportDir));

    public static EvalReport Run(Ui ui, Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, EvalOutputs outputs)
    {
        var (report, figures) = ui.Job("attack", progress =>
            EvalWorkflow.Run(model, data, attacks, options, modelPath, outputs, progress));
        Print(ui, report, figures);
        return report;
    }

    /// <summary>The table, worst cases and sanity checks of a report (also printed by <c>merge</c>).</summary>
    public static void Print(Ui ui, EvalReport report, IReadOnlyList<string> figures)
    {
        ui.Line($"clean accuracy: {report.CleanAccuracy:P2} on {report.Data.Count} {report.Data.Spec} {report.Data.Split} samples");
        ui.Write(EvalTable.Of(report));
        foreach (var line in EvalTable.Lines(report)) ui.Line(line);
        foreach (var s in report.Sanity)
        {
            if (s.Ok) ui.Line($"ok    {s.Check}: {s.Detail}");
            else ui.Warn($"{s.Check}: {s.Detail}");
        }
        foreach (var f in figures) ui.Line($"wrote {f}");
    }
}
