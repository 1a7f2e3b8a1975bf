namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;

/// <summary>
/// <c>advex attack ... --out &lt;dir&gt;</c>: runs one attack at one ε and saves the adversarial images (IDX, 8-bit like
/// the input; labels alongside), a PNG grid (clean, adversarial, amplified difference) and the JSON summary.
/// </summary>
public static class AttackCommand
{
    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var attack = new Option<string>("--attack") { Description = string.Join(" ", AttackRegistry.Names), DefaultValueFactory = _ => "fgsm" };
        var eps = new Option<string>("--eps") { Description = "ε (one value)", DefaultValueFactory = _ => "0.3" };
        var targeted = new Option<string?>("--targeted") { Description = "random, least-likely or a class index" };
        var outDir = new Option<string>("--out") { Description = "output folder", Required = true };
        var count = new Option<int>("--grid") { Description = "samples shown in the PNG grid", DefaultValueFactory = _ => 10 };
        var batch = Opts.BatchSize();
        var maxMemory = Opts.MaxMemory();
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var attackOptions = new AttackOptions();
        var cmd = new Command("attack", "Attack a dataset and save the adversarial images (IDX + PNG grid) with a JSON summary.")
        {
            attack, eps, targeted, outDir, count, batch, maxMemory, seed, quiet,
        };
        source.AddTo(cmd);
        attackOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var epsList = Opts.ParseEps(p.GetValue(eps)!);
            if (epsList.Length != 1) throw new AdvexException("--eps: attack takes one ε (use eval for a sweep)");
            var name = p.GetValue(attack)!;
            var theAttack = AttackSweep.Build([name], epsList, attackOptions.Read(p)).Single();
            if (p.GetValue(count) < 1) throw new AdvexException("--grid must be >= 1");
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            var modelPath = source.ModelPath(p);
            using var classifier = source.LoadModel(p);
            theAttack.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            Run(ui, classifier, dataset, theAttack, new EvalOptions
            {
                BatchSize = Opts.ParseBatchSize(p.GetValue(batch)!),
                MaxMemory = Opts.ParseMaxMemory(p.GetValue(maxMemory)),
                Seed = p.GetValue(seed),
                Target = TargetMode.Parse(p.GetValue(targeted), classifier.Classes),
                ExampleCount = p.GetValue(count),
                Eps = epsList,
                Command = ui.CommandLine,
            }, modelPath, p.GetValue(outDir)!);
            return 0;
        });
        return cmd;
    }

    public static void Run(Ui ui, Classifier model, Dataset data, Attack attack, EvalOptions options, string modelPath,
        string outDir)
    {
        var report = ui.Job(attack.Name, progress => AttackWorkflow.Run(model, data, attack, options, modelPath, outDir, progress));
        var run = report.Runs[0];
        ui.Line($"{attack.Name} ε={run.Eps?.ToString() ?? "-"}: clean {report.CleanAccuracy:P2} → robust {run.RobustAccuracy:P2}, " +
                $"success {run.AttackSuccessRate:P2}, mean L2 {run.MeanL2:F3}, {run.ImagesPerSecond:F0} img/s");
        foreach (var s in report.Sanity.Where(s => !s.Ok)) ui.Warn($"{s.Check}: {s.Detail}");
        ui.Line($"wrote {data.Count} adversarial images, the grid and the summary to {Path.GetFullPath(outDir)}");
    }
}
