namespace Advex.Cli.Commands;

using Advex.Workflows;
using System.CommandLine;
using System.Diagnostics;
using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using Advex.Reporting;
using Advex.Training;
using Spectre.Console;

/// <summary><c>advex train</c>: train a native classifier, with curves, per-class accuracy, checkpoints and resume.</summary>
public static class TrainCommand
{
    public static Command Create(Ui ui)
    {
        var data = Opts.Data();
        var dataDir = Opts.DataDir();
        var model = new Option<string>("--model") { Description = "lenet, smallcnn (Madry et al.), wongnet (Wong et al. 2020) or mlp", DefaultValueFactory = _ => "lenet" };
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 64 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam or sgd", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "learning rate (adam 1e-3, sgd 1e-2)" };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Nesterov momentum (SGD)" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0 };
        var plateau = new Option<bool>("--plateau") { Description = "halve the lr when the test loss stalls for 5 epochs" };
        var seed = Opts.Seed();
        var limit = Opts.Limit();
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/train" };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint in --out" };
        var mean = Opts.Mean();
        var std = Opts.Std();
        var json = Opts.Json();
        var quiet = Opts.Quiet();
        var schedule = new Option<string>("--lr-schedule")
        {
            Description = "constant or one-cycle (Wong et al.: 0 → lr at 2/5 of training → 0)", DefaultValueFactory = _ => "constant",
        };
        var adv = new Option<string?>("--adv") { Description = "adversarial training: fgsm-rs, fgsm-ep, n-fgsm, pgd or trades" };
        var eps = new Option<double?>("--eps") { Description = "L∞ budget of adversarial training (pixels in [0,1])" };
        var alpha = new Option<double?>("--alpha") { Description = "attack step size (fgsm-rs and fgsm-ep 1.25·ε, n-fgsm ε, pgd 2.5·ε/K, trades ε/4)" };
        var advSteps = new Option<int?>("--adv-steps", "--steps") { Description = "attack steps K of pgd and trades (10)" };
        var beta = new Option<double>("--beta") { Description = "TRADES β", DefaultValueFactory = _ => 6 };
        var noise = new Option<double>("--noise") { Description = "N-FGSM noise magnitude k (η ~ U(−k·ε, k·ε))", DefaultValueFactory = _ => 2 };
        var gradAlign = new Option<double>("--grad-align")
        {
            Description = "GradAlign weight λ for fgsm-rs, fgsm-ep and n-fgsm (Andriushchenko & Flammarion 2020; 0 = off)",
            DefaultValueFactory = _ => 0,
        };
        var earlyStopping = new Option<bool>("--early-stopping")
        {
            Description = "keep the epoch with the best held-out PGD accuracy; stop when it collapses (true|false)",
            DefaultValueFactory = _ => true,
        };
        var heldout = new Option<int>("--heldout")
        {
            Description = "training images held out for per-epoch clean/PGD accuracy", DefaultValueFactory = _ => 1000,
        };
        var heldoutSteps = new Option<int>("--heldout-steps")
        {
            Description = "PGD steps of the held-out robust accuracy (α = ε/4)", DefaultValueFactory = _ => 10,
        };
        var classes = new Option<int?>("--classes")
        {
            Description = "number of classes, required for data that does not name its classes (idx:); labels must be below it",
        };
        var cmd = new Command("train", "Train a classifier (LeNet and friends) on an image dataset, optionally adversarially.")
        {
            data, dataDir, model, epochs, batch, optimizer, lr, momentum, nesterov, weightDecay, plateau, seed, limit,
            outDir, resume, mean, std, json, quiet, schedule, adv, eps, alpha, advSteps, beta, earlyStopping, heldout,
            heldoutSteps, noise, gradAlign, classes,
        };
        cmd.SetAction(p =>
        {
            var options = new TrainOptions
            {
                Architecture = p.GetValue(model)!,
                Epochs = p.GetValue(epochs),
                BatchSize = p.GetValue(batch),
                Optimizer = p.GetValue(optimizer)!,
                Lr = p.GetValue(lr) ?? (p.GetValue(optimizer) == "sgd" ? 1e-2 : 1e-3),
                Momentum = p.GetValue(momentum),
                Nesterov = p.GetValue(nesterov),
                WeightDecay = p.GetValue(weightDecay),
                Plateau = p.GetValue(plateau),
                LrSchedule = p.GetValue(schedule)!,
                Seed = p.GetValue(seed),
                Normalization = Opts.ParseNormalization(p.GetValue(mean), p.GetValue(std)),
            }.Validate();
            AdversarialTraining? hardening = null;
            if (p.GetValue(adv) is { } method)
                hardening = new AdversarialTraining(method,
                    p.GetValue(eps) ?? throw new AdvexException("--adv needs --eps"), p.GetValue(alpha),
                    p.GetValue(advSteps), p.GetValue(beta), p.GetValue(earlyStopping), p.GetValue(heldout),
                    p.GetValue(heldoutSteps), noise: p.GetValue(noise),
                    gradAlign: p.GetValue(gradAlign));
            else if (p.GetValue(eps) is not null)
                throw new AdvexException("--eps needs --adv fgsm-rs|fgsm-ep|n-fgsm|pgd|trades");
            else if (p.GetResult(heldout) is { Implicit: false })
                throw new AdvexException("--heldout applies to adversarial training (--adv)");
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out", (p.GetValue(json), "--json"));
            var result = Run(ui, p.GetValue(data)!, p.GetValue(dataDir), p.GetValue(limit), options, p.GetValue(outDir)!,
                p.GetValue(resume), p.GetValue(json), adversarial: hardening, classes: p.GetValue(classes));
            result.Model.Dispose();
            return 0;
        });
        return cmd;
    }

    /// <summary>Trains and writes everything into <paramref name="outDir"/>; shared with <c>demo</c>.</summary>
    public static TrainResult Run(Ui ui, string dataSpec, string? dataDir, int? limit, TrainOptions options, string outDir,
        bool resume, string? json, Trainer? trainer = null, AdversarialTraining? adversarial = null, int? classes = null)
    {
        var clock = Stopwatch.StartNew();
        using var all = Opts.LoadData(dataSpec, "train", dataDir, limit, classes);
        using var test = Opts.LoadData(dataSpec, "test", dataDir, null, classes);
        if (!all.ClassNamesKnown)
            throw new AdvexException(
                $"data {dataSpec} does not name its classes: give --classes K (its training labels span 0..{all.LabelArray.Max()})");
        var (train, heldout) = adversarial is { Heldout: > 0 } ? Hardening.Split(all, adversarial.Heldout) : (all, null);
        using var ownedTrain = ReferenceEquals(train, all) ? null : train;
        using var ownedHeldout = heldout;
        using var hardening = adversarial is null ? null : new Hardening(adversarial, heldout, options.Seed);
        ui.Line($"Training {options.Architecture} on {dataSpec} ({train.Count} train / {heldout?.Count ?? 0} held out / " +
                $"{test.Count} test), {options.Epochs} epochs, {options.Optimizer} lr {options.Lr} ({options.LrSchedule}), " +
                $"seed {options.Seed}" + (adversarial is null ? "" :
                    $"; adversarial {adversarial.Method} ε {adversarial.Eps} α {adversarial.Alpha:g4} steps {adversarial.Steps}" +
                    (adversarial.Method == "n-fgsm" ? $" noise {adversarial.Noise:g3}·ε" : "") +
                    (adversarial.GradAlign > 0 ? $" grad-align λ {adversarial.GradAlign:g3}" : "") +
                    $" early stopping {(adversarial.EarlyStopping ? "on" : "off")}"));
        var result = ui.WithProgress($"train {options.Architecture}", report =>
        {
            var batches = Batching.Count(train.Count, options.BatchSize);
            var t = (hardening?.Apply(trainer ?? new Trainer()) ?? trainer ?? new Trainer()) with
            {
                OnBatch = (epoch, b, n) => report((epoch - 1) * batches + b, options.Epochs * batches),
                OnEpoch = m => ui.Line(
                    $"epoch {m.Epoch,3}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} " +
                    $"acc {m.TestAccuracy:P2} | lr {m.Lr:g3} | {m.Seconds:F1}s" +
                    string.Concat(m.Extra.Select(kv => $" | {kv.Key} {kv.Value:P2}"))),
            };
            var provenance = new Dictionary<string, object?> { ["data_dir"] = dataDir, ["limit"] = limit };
            if (adversarial != null) provenance["adversarial"] = adversarial;
            return t.Train(train, test, options, outDir, resume, provenance);
        });


        var table = new Table().Title("Per-class test accuracy").AddColumn("class").AddColumn("name").AddColumn("accuracy");
        for (var c = 0; c < result.PerClassAccuracy.Length; c++)
            table.AddRow(c.ToString(), Markup.Escape(test.ClassNames[c]), $"{result.PerClassAccuracy[c]:P2}");
        ui.Write(table);
        ui.Line($"clean test accuracy: {result.TestAccuracy:P2}");
        if (hardening is { Options.EarlyStopping: true, EarlyStoppingState: var es })
            ui.Line($"early stopping: best held-out PGD accuracy {es.Best:P2} at epoch {es.BestEpoch} (kept)" +
                    (es.StoppedEpoch > 0 ? $"; collapsed at epoch {es.StoppedEpoch}, stopped" : ""));

        TrainingFigures.Write(outDir, result.History);
        var summary = new TrainingSummary(result.TestAccuracy, result.History.ToList(),
            result.PerClassAccuracy.Select((a, c) => new ClassAccuracy(c, test.ClassNames[c], a)).ToList(),
            dataSpec, options, adversarial, hardening is { Options.EarlyStopping: true } ? hardening.EarlyStoppingState : null,
            clock.Elapsed.TotalSeconds);
        JsonOutput.Write(Path.Combine(outDir, "training.json"), summary);
        if (json != null) JsonOutput.Write(json, summary);
        ui.Line($"model, checkpoint and curves written to {Path.GetFullPath(outDir)}");
        return result;
    }
}
