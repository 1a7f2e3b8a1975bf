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
            var modelPath = source.ModelPath(p);
            EvalOutputCheck.Check(outputs, modelPath);
            using var claim = Outputs.Claim(ui, [(outputs.ReportDir, "--report"), (outputs.OutDir, "--out")], [(outputs.Json, "--json")]);
            using var classifier = source.LoadModel(p);
            foreach (var a in attacks) a.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            var options = o.Read(p, classifier.Classes, epsList, ui.CommandLine);
            if (p.GetValue(o.Workers) is { } workers)
            {
                var config = RunConfig.Of(classifier, modelPath, dataset, attacks, options);
                Printers.Print(ui, ui.Job("workers", progress => EvalWorkers.Run(WorkerArgs.Of(p), workers,
                    outputs.OutDir!, outputs.Resume, figures: false, ui.CommandLine, config, progress, outputs.Json, outputs.ReportDir)));
                return 0;
            }
            if (options.Shard.Indices(dataset.Count).Length == 0)
            {
                ui.Line(EvalWorkflow.EmptyShard(classifier, dataset, attacks, options, modelPath, outputs));
                return 0;
            }
            Printers.Print(ui, ui.Job("attack", progress =>
                EvalWorkflow.Run(classifier, dataset, attacks, options, modelPath, outputs, progress)));
            return 0;
        });
        return cmd;
    }
}
