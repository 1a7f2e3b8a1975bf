namespace Advex.Cli.Commands;

using System.CommandLine;
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
        var model = new Option<string>("--model") { Description = "lenet, smallcnn or mlp", DefaultValueFactory = _ => "lenet" };
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
        var cmd = new Command("train", "Train a classifier (LeNet and friends) on an image dataset.")
        {
            data, dataDir, model, epochs, batch, optimizer, lr, momentum, nesterov, weightDecay, plateau, seed, limit,
            outDir, resume, mean, std, json, quiet,
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
                Seed = p.GetValue(seed),
                Normalization = Opts.ParseNormalization(p.GetValue(mean), p.GetValue(std)),
            }.Validate();
            var result = Run(ui, p.GetValue(data)!, p.GetValue(dataDir), p.GetValue(limit), options, p.GetValue(outDir)!,
                p.GetValue(resume), p.GetValue(json));
            result.Model.Dispose();
            return 0;
        });
        return cmd;
    }

    /// <summary>Trains and writes everything into <paramref name="outDir"/>; shared with <c>demo</c>.</summary>
    public static TrainResult Run(Ui ui, string dataSpec, string? dataDir, int? limit, TrainOptions options, string outDir,
        bool resume, string? json, Trainer? trainer = null)
    {
        using var train = Opts.LoadData(dataSpec, "train", dataDir, limit);
        using var test = Opts.LoadData(dataSpec, "test", dataDir, null);
        ui.Line($"Training {options.Architecture} on {dataSpec} ({train.Count} train / {test.Count} test), " +
                $"{options.Epochs} epochs, {options.Optimizer} lr {options.Lr}, seed {options.Seed}");
        var result = ui.WithProgress($"train {options.Architecture}", report =>
        {
            var batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
            var t = (trainer ?? new Trainer()) with
            {
                OnBatch = (epoch, b, n) => report((epoch - 1) * batches + b, options.Epochs * batches),
                OnEpoch = m => ui.Line(
                    $"epoch {m.Epoch,3}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} " +
                    $"acc {m.TestAccuracy:P2} | lr {m.Lr:g3} | {m.Seconds:F1}s" +
                    string.Concat(m.Extra.Select(kv => $" | {kv.Key} {kv.Value:P2}"))),
            };
            return t.Train(train, test, options, outDir, resume,
                new Dictionary<string, object?> { ["data_dir"] = dataDir, ["limit"] = limit });
        });

        var table = new Table().Title("Per-class test accuracy").AddColumn("class").AddColumn("name").AddColumn("accuracy");
        for (var c = 0; c < result.PerClassAccuracy.Length; c++)
            table.AddRow(c.ToString(), Markup.Escape(test.ClassNames[c]), $"{result.PerClassAccuracy[c]:P2}");
        ui.Write(table);
        ui.Line($"clean test accuracy: {result.TestAccuracy:P2}");

        TrainingFigures.Write(outDir, result.History);
        var summary = new TrainingSummary(result.TestAccuracy, result.History.ToList(),
            result.PerClassAccuracy.Select((a, c) => new ClassAccuracy(c, test.ClassNames[c], a)).ToList(),
            dataSpec, options);
        JsonOutput.Write(Path.Combine(outDir, "training.json"), summary);
        if (json != null) JsonOutput.Write(json, summary);
        ui.Line($"model, checkpoint and curves written to {Path.GetFullPath(outDir)}");
        return result;
    }
}
