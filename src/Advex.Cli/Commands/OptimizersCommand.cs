namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;
using Spectre.Console;
using static TorchSharp.torch;

/// <summary>
/// <c>advex optimizers</c> (seed 003): the same targeted optimizer attack driven by SGD, RMSprop and Adam on the same
/// samples; loss and target-probability curves, a summary table and JSON.
/// </summary>
public static class OptimizersCommand
{
    public const string LossFigure = "optimizers_loss.png";
    public const string ProbabilityFigure = "optimizers_target_prob.png";

    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions(defaultLimit: 16);
        var target = new Option<int>("--target") { Description = "target class index", Required = true };
        var optimizers = new Option<string>("--optimizers") { Description = "comma list of sgd, rmsprop, adam", DefaultValueFactory = _ => "sgd,rmsprop,adam" };
        var steps = new Option<int>("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "learning rate (the same for every optimizer)", DefaultValueFactory = _ => 0.01 };
        var eps = new Option<double?>("--eps") { Description = "perturbation budget; default none (unbounded, box only)" };
        var norm = new Option<string>("--norm") { Description = "norm of the --eps ball: linf or l2", DefaultValueFactory = _ => "linf" };
        var outDir = new Option<string?>("--out") { Description = $"folder for {LossFigure} and {ProbabilityFigure}" };
        var json = Opts.Json();
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var cmd = new Command("optimizers", "Compare SGD, RMSprop and Adam driving the same targeted attack: loss and target probability per iteration.")
        {
            target, optimizers, steps, lr, eps, norm, outDir, json, seed, quiet,
        };
        source.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var kinds = p.GetValue(optimizers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(OptimizerKinds.Parse).Distinct().ToArray();
            if (kinds.Length == 0) throw new AdvexException("--optimizers: empty list");
            var budget = p.GetValue(eps) ?? double.PositiveInfinity;
            // validate every option before loading anything
            var attacks = kinds.Select(k => new OptimizerAttack(budget, k, p.GetValue(lr), p.GetValue(steps),
                NormNames.Parse(p.GetValue(norm)!))).ToArray();
            random.manual_seed(p.GetValue(seed));
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out", (p.GetValue(json), "--json"));
            using var classifier = source.LoadModel(p);
            foreach (var a in attacks) a.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            Run(ui, classifier, dataset, p.GetValue(target), attacks, p.GetValue(outDir), p.GetValue(json));
            return 0;
        });
        return cmd;
    }

    public static OptimizerComparison Run(Ui ui, Classifier model, Data.Dataset data, int target, IReadOnlyList<OptimizerAttack> attacks,
        string? outDir, string? json)
    {
        model.CheckData(data);
        if (target < 0 || target >= model.Classes)
            throw new AdvexException($"--target {target} is not a class of the model (0..{model.Classes - 1})");
        // a sample already labelled as the target says nothing about reaching it
        var indices = Enumerable.Range(0, data.Count).Where(i => data.LabelArray[i] != target).Select(i => (long)i).ToArray();
        if (indices.Length == 0) throw new AdvexException($"every selected sample is labelled {target}; nothing to attack");
        var skipped = data.Count - indices.Length;

        using var scope = NewDisposeScope();
        var (x, _) = data.Batch(indices);
        var goal = new Targeted(Targets.Fixed(target, indices.Length));
        var attack0 = attacks[0];
        ui.Line($"targeted attack to class {target} on {indices.Length} {data.Spec} {data.Split} samples" +
                (skipped > 0 ? $" ({skipped} labelled {target} skipped)" : "") +
                $", {attack0.Steps} steps, lr {attack0.Lr.ToString(CultureInfo.InvariantCulture)}, " +
                (attack0.IsBounded ? $"ε = {attack0.Eps.ToString(CultureInfo.InvariantCulture)} ({attack0.Norm.Name()})" : "unbounded"));
        var runs = ui.WithProgress("optimizers", progress =>
        {
            var list = new List<OptimizerRun>();
            foreach (var a in attacks)
            {
                progress(list.Count, attacks.Count);
                var t = a.Trace(model, x, goal);
                list.Add(new OptimizerRun(a.Optimizer.Name(), a.Lr, a.Steps, t.SuccessRate, t.MedianIterations, t.Loss[^1],
                    t.MeanL2, t.Loss, t.TargetProbability, t.FirstSuccessIteration));
            }
            progress(attacks.Count, attacks.Count);
            return list;
        });

        var table = new Table().Title($"Optimizers: target {target}").AddColumns("optimizer", "success", "median iterations",
            "final mean loss", "mean L2");
        foreach (var r in runs)
            table.AddRow(r.Name, $"{r.SuccessRate:P1}", r.MedianIterations?.ToString("0.#", CultureInfo.InvariantCulture) ?? "never",
                $"{r.FinalLoss:F4}", $"{r.MeanL2:F3}");
        ui.Write(table);
        if (runs.Where(r => r.MedianIterations is not null).OrderBy(r => r.MedianIterations).ThenBy(r => r.FinalLoss).FirstOrDefault() is { } best)
            ui.Line($"fastest to the target: {best.Name} (median {best.MedianIterations!.Value.ToString("0.#", CultureInfo.InvariantCulture)} iterations)");

        var comparison = new OptimizerComparison(target, attack0.IsBounded ? attack0.Eps : null, attack0.Norm.Name(), indices.Length,
            skipped, runs);
        if (outDir != null)
        {
            double[] Iterations(OptimizerRun r) => Enumerable.Range(0, r.Loss.Length).Select(i => (double)i).ToArray();
            var lossPath = Path.Combine(outDir, LossFigure);
            LinePlot.Save(lossPath, $"Targeted attack to class {target}: loss", "iteration", "mean cross-entropy to the target",
                runs.Select(r => new LinePlot.Series(r.Name, Iterations(r), r.Loss)), yMin: 0);
            var probPath = Path.Combine(outDir, ProbabilityFigure);
            LinePlot.Save(probPath, $"Targeted attack to class {target}: target probability", "iteration",
                "mean probability of the target", runs.Select(r => new LinePlot.Series(r.Name, Iterations(r), r.TargetProbability)),
                yMin: 0, yMax: 1);
            ui.Line($"wrote {lossPath}");
            ui.Line($"wrote {probPath}");
        }
        if (json != null)
        {
            JsonOutput.Write(json, comparison);
            ui.Line($"wrote {json}");
        }
        return comparison;
    }
}
