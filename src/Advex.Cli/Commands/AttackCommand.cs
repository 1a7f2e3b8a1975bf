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
        var universal = new Option<string?>("--universal")
        {
            Description = "learn one universal perturbation instead: deepfool (Moosavi-Dezfooli et al. 2017) or sgd (Shafahi et al. 2020) " +
                          "on the first --train-limit training images; its fooling rate on --split/--limit; saved as perturbation.npy/.png",
        };
        var trainLimit = new Option<int>("--train-limit") { Description = "universal: training images it learns on (first N of the train split)", DefaultValueFactory = _ => 1000 };
        var passes = new Option<int>("--passes") { Description = "universal: passes over the training images", DefaultValueFactory = _ => 5 };
        var foolingTarget = new Option<double>("--fooling-target") { Description = "universal deepfool: stop at this training fooling rate (1 − δ)", DefaultValueFactory = _ => 0.8 };
        var patch = new Option<int?>("--patch")
        {
            Description = "train a targeted adversarial patch for this class instead (Brown et al. 2017; expectation over location, scale, rotation) " +
                          "on the first --train-limit training images; its success rate on --split/--limit; saved as patch.npy/.png",
        };
        var patchSize = new Option<double>("--patch-size") { Description = "patch: side as a fraction of the image side", DefaultValueFactory = _ => 0.3 };
        var scales = new Option<string>("--scale") { Description = "patch: min,max scale of the side", DefaultValueFactory = _ => "0.8,1.2" };
        var rotation = new Option<double>("--rotation") { Description = "patch: largest rotation, degrees", DefaultValueFactory = _ => 20 };
        var epochs = new Option<int>("--epochs") { Description = "patch: training epochs", DefaultValueFactory = _ => 5 };
        var cmd = new Command("attack", "Attack a dataset and save the adversarial images (IDX + PNG grid) with a JSON summary; or learn a universal perturbation (--universal) or an adversarial patch (--patch).")
        {
            attack, eps, targeted, outDir, count, batch, maxMemory, seed, quiet, universal, trainLimit, passes, foolingTarget, patch, patchSize,
            scales, rotation, epochs,
        };
        source.AddTo(cmd);
        attackOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var epsList = Opts.ParseEps(p.GetValue(eps)!);
            if (epsList.Length != 1) throw new AdvexException("--eps: attack takes one ε (use eval for a sweep)");
            if (p.GetValue(patch) is { } target)
            {
                if (p.GetValue(universal) is not null) throw new AdvexException("--patch and --universal exclude each other");
                Opts.RefuseGiven(p, "--patch", attack, targeted, passes, foolingTarget);
                var scale = Opts.ParseList(p.GetValue(scales)!, "--scale");
                if (scale.Length != 2) throw new AdvexException("--scale takes two values: min,max");
                var options = new Advex.Attacks.Patch.PatchOptions(target, p.GetValue(patchSize), scale[0], scale[1], p.GetValue(rotation),
                    p.GetValue(epochs), Opts.ParseBatchSize(p.GetValue(batch)!) ?? 64, Advex.Attacks.Patch.PatchSettings.Lr(attackOptions.Read(p)));
                if (p.GetValue(trainLimit) < 1) throw new AdvexException("--train-limit must be >= 1");
                using var patchClaim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
                using var model = source.LoadModel(p);
                if (target >= model.Classes) throw new AdvexException($"--patch: {target} is not a class of the model (0 … {model.Classes - 1})");
                using var heldout = source.LoadData(p);
                using var train = Opts.LoadData(p.GetValue(source.Data)!, "train", p.GetValue(source.DataDir), p.GetValue(trainLimit),
                    options: source.Transforms.Read(p));
                var summary = ui.Job("patch", progress => PatchWorkflow.Run(model, train, heldout, new PatchJob
                {
                    Options = options, Seed = p.GetValue(seed), OutDir = p.GetValue(outDir)!, Examples = p.GetValue(count),
                }, progress));
                ui.Line($"patch → class {summary.Target} ({summary.Shape[1]}×{summary.Shape[2]} px): success {summary.SuccessRate:P2} on {summary.Attempted} held-out images " +
                        $"of other classes (without the patch {summary.CleanTargetRate:P2})");
                ui.Line($"wrote {Path.GetFullPath(summary.Patch)}, {PatchWorkflow.ImageFile}, {PatchWorkflow.ExamplesFile} and {PatchWorkflow.SummaryFile}");
                return 0;
            }
            if (p.GetValue(universal) is { } method)
            {
                Opts.RefuseGiven(p, "--universal", attack, targeted, count, patchSize, scales, rotation, epochs);
                var options = Advex.Attacks.Universal.UniversalSettings.Read(method, epsList[0], attackOptions.Read(p), p.GetValue(passes),
                    Opts.ParseBatchSize(p.GetValue(batch)!) ?? 64,
                    p.GetResult(foolingTarget) is { Implicit: false } ? p.GetValue(foolingTarget) : null);
                if (p.GetValue(trainLimit) < 1) throw new AdvexException("--train-limit must be >= 1");
                using var universalClaim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
                using var model = source.LoadModel(p);
                using var heldout = source.LoadData(p);
                using var train = Opts.LoadData(p.GetValue(source.Data)!, "train", p.GetValue(source.DataDir), p.GetValue(trainLimit),
                    options: source.Transforms.Read(p));
                var summary = ui.Job("universal", progress => UniversalWorkflow.Run(model, train, heldout, new UniversalJob
                {
                    Options = options, Seed = p.GetValue(seed), OutDir = p.GetValue(outDir)!, Command = ui.CommandLine,
                }, source.ModelPath(p), progress));
                ui.Line($"universal {summary.Method} {summary.Norm} ε={summary.Eps}: fooling rate {summary.FoolingRate:P2} on {summary.HeldoutCount} held-out images " +
                        $"(training {summary.TrainFoolingRate:P2} on {summary.TrainCount}); robust accuracy {summary.CleanAccuracy:P2} → {summary.RobustAccuracy:P2}; " +
                        $"‖v‖∞ {summary.Linf:F3}, ‖v‖₂ {summary.L2:F3}");
                ui.Line($"wrote {Path.GetFullPath(summary.Perturbation)}, {UniversalWorkflow.ImageFile}, {UniversalWorkflow.SummaryFile} and {UniversalWorkflow.HeldoutDir}/");
                return 0;
            }
            var name = p.GetValue(attack)!;
            Opts.RefuseGiven(p, $"--attack {name}, only to --universal or --patch", trainLimit, passes, foolingTarget, patchSize, scales, rotation, epochs);
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
