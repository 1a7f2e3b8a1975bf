namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Defenses;
using Advex.Training;
using Advex.Workflows;
using Spectre.Console;

/// <summary><c>advex train</c>: train a native classifier, with curves, per-class accuracy, checkpoints and resume.</summary>
public static class TrainCommand
{
    public static Command Create(Ui ui)
    {
        var data = Opts.Data();
        var dataDir = Opts.DataDir();
        var model = new Option<string>("--model") { Description = Advex.Models.Architectures.Help, DefaultValueFactory = _ => "lenet" };
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
        var adv = new Option<string?>("--adv") { Description = $"adversarial training: {TrainingMethodRegistry.Help}" };
        var eps = new Option<double?>("--eps") { Description = "L∞ budget of adversarial training (pixels in [0,1])" };
        var alpha = new Option<double?>("--alpha") { Description = $"attack step size ({TrainingMethodRegistry.AlphaHelp})" };
        var advSteps = new Option<int?>("--adv-steps", "--steps") { Description = $"attack steps K of {TrainingMethodRegistry.StepsHelp}" };
        var beta = new Option<double>("--beta") { Description = "TRADES β", DefaultValueFactory = _ => 6 };
        var noise = new Option<double>("--noise") { Description = "N-FGSM noise magnitude k (η ~ U(−k·ε, k·ε))", DefaultValueFactory = _ => 2 };
        var gradAlign = new Option<double>("--grad-align")
        {
            Description = $"GradAlign weight λ for {TrainingMethodRegistry.SingleStepNames} (Andriushchenko & Flammarion 2020; 0 = off)",
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
            using var outcome = Run(ui, new TrainJob
            {
                Data = p.GetValue(data)!, DataDir = p.GetValue(dataDir), Limit = p.GetValue(limit),
                Classes = p.GetValue(classes), Options = options, Adversarial = hardening, OutDir = p.GetValue(outDir)!,
                Resume = p.GetValue(resume), Json = p.GetValue(json),
            });
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs the train job and prints its summary; shared with <c>demo</c>.</summary>
    public static TrainOutcome Run(Ui ui, TrainJob job)
    {
        var outcome = ui.Job($"train {job.Options.Architecture}", progress => TrainWorkflow.Run(job, progress));
        var summary = outcome.Summary;
        var table = new Table().Title("Per-class test accuracy").AddColumn("class").AddColumn("name").AddColumn("accuracy");
        foreach (var c in summary.PerClass) table.AddRow(c.Class.ToString(), Markup.Escape(c.Name), $"{c.Accuracy:P2}");
        ui.Write(table);
        ui.Line($"clean test accuracy: {summary.TestAccuracy:P2}");
        if (summary.EarlyStopping is { } es)
            ui.Line($"early stopping: best held-out PGD accuracy {es.Best:P2} at epoch {es.BestEpoch} (kept)" +
                    (es.StoppedEpoch > 0 ? $"; collapsed at epoch {es.StoppedEpoch}, stopped" : ""));
        ui.Line($"model, checkpoint and curves written to {outcome.OutDir}");
        return outcome;
    }
}
