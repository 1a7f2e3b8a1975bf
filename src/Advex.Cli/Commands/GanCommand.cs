namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Diagnostics;
using Advex.Data;
using Advex.Generative;
using Advex.Models;
using Advex.Reporting;
using Advex.Training;

/// <summary><c>advex gan train</c>: a GAN on an image dataset (seed 001), with a sample grid per epoch, curves,
/// MNIST Inception Score per epoch, checkpoints and resume.</summary>
public static class GanCommand
{
    public const string ScorerDir = "scorer";

    public static Command Create(Ui ui)
    {
        var data = Opts.Data();
        var dataDir = Opts.DataDir();
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => new GanOptions().Epochs };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => new GanOptions().BatchSize };
        var arch = new Option<string>("--arch") { Description = "dcgan, fc (seed 001's fully connected GAN) or dcgan-small (the demo's)", DefaultValueFactory = _ => new GanOptions().Architecture };
        var seed = Opts.Seed();
        var limit = Opts.Limit();
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/gan" };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint in --out" };
        var scorer = new Option<string?>("--scorer") { Description = "classifier for the Inception Score (default: a quick LeNet trained once and cached in --out/scorer)" };
        var scoreSamples = new Option<int>("--score-samples") { Description = "generated samples scored per epoch (0: no score)", DefaultValueFactory = _ => new GanOptions().ScoreSamples };
        var json = Opts.Json();
        var quiet = Opts.Quiet();
        var train = new Command("train", "Train a GAN (BCE, Adam 2e-4, betas 0.5/0.999) and score its samples each epoch.")
        {
            data, dataDir, epochs, batch, arch, seed, limit, outDir, resume, scorer, scoreSamples, json, quiet,
        };
        train.SetAction(p =>
        {
            var options = new GanOptions
            {
                Architecture = p.GetValue(arch)!, Epochs = p.GetValue(epochs), BatchSize = p.GetValue(batch),
                Seed = p.GetValue(seed), ScoreSamples = p.GetValue(scoreSamples),
            }.Validate();
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out", (p.GetValue(json), "--json"));
            Run(ui, p.GetValue(data)!, p.GetValue(dataDir), p.GetValue(limit), options, p.GetValue(outDir)!,
                p.GetValue(resume), p.GetValue(scorer), p.GetValue(json));
            return 0;
        });
        return new Command("gan", "Generative adversarial networks.") { train };
    }

    public static void Run(Ui ui, string spec, string? dataDir, int? limit, GanOptions options, string outDir, bool resume,
        string? scorerPath, string? json)
    {
        var clock = Stopwatch.StartNew();
        using var train = Opts.LoadData(spec, "train", dataDir, limit);
        Directory.CreateDirectory(outDir);
        using var scorer = options.ScoreSamples == 0 ? null : LoadScorer(ui, spec, dataDir, scorerPath, outDir);
        if (scorer != null)
        {
            using var test = Opts.LoadData(spec, "test", dataDir, null);
            ui.Line($"scorer: Inception Score of {test.Count} real {spec} test images = {MnistInceptionScore.Score(scorer, test):F3}");
        }
        ui.Line($"Training a {options.Architecture} GAN on {spec} ({train.Count} images), {options.Epochs} epochs, " +
                $"batch {options.BatchSize}, Adam lr {options.Lr} betas ({options.Beta1}, {options.Beta2}), seed {options.Seed}");
        var result = ui.WithProgress($"gan {options.Architecture}", report =>
        {
            var batches = Batching.Count(train.Count, options.BatchSize);
            return new GanTrainer
            {
                Scorer = scorer,
                OnBatch = (epoch, b, _) => report((epoch - 1) * batches + b, options.Epochs * batches),
                OnEpoch = (m, samples) =>
                {
                    GenerativeFigures.WriteGanSamples(Path.Combine(outDir, GenerativeFigures.SamplesFor(m.Epoch)), samples, m.Epoch);
                    GenerativeFigures.WriteGanSamples(Path.Combine(outDir, GenerativeFigures.LatestSamples), samples, m.Epoch);
                    ui.Line($"epoch {m.Epoch,3}: D loss {m.DLoss:F4} | G loss {m.GLoss:F4} | D(x) {m.DReal:F3} | " +
                            $"D(G(z)) {m.DFake:F3} | IS {(m.InceptionScore is { } s ? s.ToString("F3") : "-")} | {m.Seconds:F1}s");
                },
            }.Train(train, options, outDir, resume);
        });
        using var _ = result;
        GenerativeFigures.WriteGanCurves(outDir, result.History);
        var summary = new GanSummary(result.History.ToList(), result.History[^1].InceptionScore,
            result.History.Sum(m => m.Seconds), clock.Elapsed.TotalSeconds, spec, options);
        JsonOutput.Write(Path.Combine(outDir, "gan-training.json"), summary);
        if (json != null) JsonOutput.Write(json, summary);
        ui.Line($"training time {summary.TrainingSeconds:F0}s (all epochs); generator, checkpoint, grids and curves in {Path.GetFullPath(outDir)}");
    }

    /// <summary>The scorer given by --scorer, or the LeNet cached in out/scorer, trained there on first use.</summary>
    private static Classifier LoadScorer(Ui ui, string spec, string? dataDir, string? path, string outDir)
    {
        if (path != null) return ModelStore.Load(path);
        var cached = Path.Combine(outDir, ScorerDir);
        if (File.Exists(Path.Combine(cached, ModelStore.ManifestName))) return ModelStore.Load(cached);
        ui.Line($"no --scorer: training a LeNet on {spec} for the Inception Score (2 epochs, cached in {cached})");
        using var train = DataSource.Load(spec, "train", dataDir);
        using var test = DataSource.Load(spec, "test", dataDir);
        var result = new Trainer().Train(train, test, new TrainOptions { Epochs = 2, Seed = 0 }, cached);
        ui.Line($"scorer test accuracy {result.TestAccuracy:P2}");
        return result.Model;
    }
}

public sealed record GanSummary(List<GanEpoch> Epochs, double? InceptionScore, double TrainingSeconds,
    double WallSeconds, string Data, GanOptions Options);
