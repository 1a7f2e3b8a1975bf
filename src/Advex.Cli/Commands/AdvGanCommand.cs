namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Diagnostics;
using Advex.Data;
using Advex.Generative;
using Advex.Models;
using Advex.Reporting;

/// <summary><c>advex advgan train</c>: train an AdvGAN generator against a frozen target model (seed 000), with
/// progress, curves and a sample grid per epoch; the output folder is what <c>eval --attack advgan --generator</c>
/// takes.</summary>
public static class AdvGanCommand
{
    public static Command Create(Ui ui)
    {
        var target = new Option<string>("--target") { Description = "the model to attack: TorchScript .pt, native model.json or a train output folder", Required = true };
        var data = Opts.Data();
        var dataDir = Opts.DataDir();
        var limit = Opts.Limit();
        var d = new AdvGanOptions();
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => d.Epochs };
        var eps = new Option<double>("--eps") { Description = "L∞ budget: δ is clamped to ±eps", DefaultValueFactory = _ => d.Eps };
        var advLambda = new Option<double>("--adv-lambda") { Description = "weight of the C&W margin", DefaultValueFactory = _ => d.AdvLambda };
        var pertLambda = new Option<double>("--pert-lambda") { Description = "weight of the perturbation L2 loss", DefaultValueFactory = _ => d.PertLambda };
        var c = new Option<double?>("--c") { Description = "hinge bound: penalise only max(0, ‖δ‖₂ − c) (default: plain mean ‖δ‖₂)" };
        var margin = new Option<string>("--margin") { Description = "C&W margin on probs (seed 000) or logits", DefaultValueFactory = _ => "probs" };
        var targetClass = new Option<int?>("--target-class") { Description = "train a targeted generator for this one class (default untargeted)" };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate of G and D", DefaultValueFactory = _ => d.Lr };
        var seed = Opts.Seed();
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/advgan" };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint in --out" };
        var mean = Opts.Mean();
        var std = Opts.Std();
        var shape = Opts.InputShape();
        var json = Opts.Json();
        var quiet = Opts.Quiet();
        var train = new Command("train", "Train an AdvGAN generator against a target model (LSGAN D, C&W margin, L2 of δ).")
        {
            target, data, dataDir, limit, epochs, eps, advLambda, pertLambda, c, margin, targetClass, batch, lr, seed,
            outDir, resume, mean, std, shape, json, quiet,
        };
        train.SetAction(p =>
        {
            var options = new AdvGanOptions
            {
                Eps = p.GetValue(eps), AdvLambda = p.GetValue(advLambda), PertLambda = p.GetValue(pertLambda),
                HingeBound = p.GetValue(c), Margin = MarginSpaces.Parse(p.GetValue(margin)!),
                TargetClass = p.GetValue(targetClass), Epochs = p.GetValue(epochs), BatchSize = p.GetValue(batch),
                Lr = p.GetValue(lr), Seed = p.GetValue(seed),
            }.Validate();
            var targetPath = p.GetValue(target)!;
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out", (p.GetValue(json), "--json"));
            using var model = ModelStore.Load(targetPath, Opts.ParseNormalization(p.GetValue(mean), p.GetValue(std)),
                Opts.ParseShape(p.GetValue(shape)!));
            Run(ui, model, targetPath, p.GetValue(data)!, p.GetValue(dataDir), p.GetValue(limit), options,
                p.GetValue(outDir)!, p.GetValue(resume), p.GetValue(json));
            return 0;
        });
        return new Command("advgan", "AdvGAN: a generator of adversarial perturbations (Xiao et al. 2018).") { train };
    }

    public static void Run(Ui ui, Classifier model, string targetPath, string spec, string? dataDir, int? limit,
        AdvGanOptions options, string outDir, bool resume, string? json)
    {
        options.Validate(model.Classes);
        var clock = Stopwatch.StartNew();
        using var train = Opts.LoadData(spec, "train", dataDir, limit);
        using var validation = Opts.LoadData(spec, "test", dataDir, 1000);
        Directory.CreateDirectory(outDir);
        var goal = options.TargetClass is { } t ? $"targeted at class {t}" : "untargeted";
        ui.Line($"Training AdvGAN ({goal}) against {targetPath} on {spec} ({train.Count} images), {options.Epochs} epochs, " +
                $"ε {options.Eps}, adv_lambda {options.AdvLambda}, pert_lambda {options.PertLambda}" +
                (options.HingeBound is { } c ? $" (hinge c {c})" : "") + $", margin on {options.Margin.Name()}, seed {options.Seed}");
        var result = ui.WithProgress("advgan", report =>
        {
            var batches = Batching.Count(train.Count, options.BatchSize);
            return new AdvGanTrainer
            {
                Validation = validation,
                OnBatch = (epoch, b, _) => report((epoch - 1) * batches + b, options.Epochs * batches),
                OnEpoch = (m, samples) =>
                {
                    if (samples != null)
                    {
                        GenerativeFigures.WriteAdvGanSamples(Path.Combine(outDir, GenerativeFigures.SamplesFor(m.Epoch)), samples, options.Eps, m.Epoch);
                        GenerativeFigures.WriteAdvGanSamples(Path.Combine(outDir, GenerativeFigures.LatestSamples), samples, options.Eps, m.Epoch);
                    }
                    ui.Line($"epoch {m.Epoch,3}: D {m.DLoss:F4} | G gan {m.GGanLoss:F4} adv {m.AdvLoss:F4} pert {m.PertLoss:F3} | " +
                            $"train success {m.TrainSuccess:P2} (L2 {m.TrainMeanL2:F3}) | held-out success {m.TestSuccess:P2} " +
                            $"(L2 {m.TestMeanL2:F3}) | {m.Seconds:F1}s");
                },
            }.Train(model, train, options, outDir, resume,
                new Dictionary<string, object?> { ["target"] = targetPath, ["data_dir"] = dataDir, ["limit"] = limit });
        });
        result.Generator.Dispose();
        GenerativeFigures.WriteAdvGanCurves(outDir, result.History);
        var last = result.History[^1];
        var summary = new AdvGanSummary(result.History.ToList(), last.TestSuccess, last.TestMeanL2,
            result.History.Sum(m => m.Seconds), clock.Elapsed.TotalSeconds, targetPath, spec,
            Path.GetFullPath(Path.Combine(outDir, AdvGanStore.ManifestName)), options);
        JsonOutput.Write(Path.Combine(outDir, "advgan-training.json"), summary);
        if (json != null) JsonOutput.Write(json, summary);
        ui.Line($"training time {summary.TrainingSeconds:F0}s; generator in {Path.GetFullPath(outDir)} " +
                $"(evaluate with: advex eval --model {targetPath} --attack advgan --generator {outDir})");
    }
}

public sealed record AdvGanSummary(List<AdvGanEpoch> Epochs, double? TestSuccess, double? TestMeanL2,
    double TrainingSeconds, double WallSeconds, string Target, string Data, string Generator, AdvGanOptions Options);
