namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using Advex.Data;
using Advex.Reporting;
using Advex.Text;
using Advex.Training;
using Spectre.Console;

/// <summary>
/// <c>advex text train</c> (seed 002): train the sentiment TextCnn on the embedded sentences, optionally with FGM or
/// PGD on the embedding, over one or several seeds; clean test accuracy and embedding-space PGD robust accuracy
/// (mean ± sd over seeds), curves and JSON.
/// </summary>
public static class TextCommand
{
    public static Command Create(Ui ui)
    {
        var text = new Command("text", "Text classification (sentiment) with adversarial training on word embeddings.");
        text.Subcommands.Add(CreateTrain(ui));
        return text;
    }

    private static Command CreateTrain(Ui ui)
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "folder with sentences.tsv and glove-100d.txt.gz (default: the embedded data/sentiment)" };
        var adv = new Option<string>("--adv") { Description = "adversarial training on the embedding: none, fgm or pgd", DefaultValueFactory = _ => "none" };
        var eps = new Option<double>("--eps") { Description = "L2 radius of the embedding perturbation in training", DefaultValueFactory = _ => 1.0 };
        var alpha = new Option<double>("--alpha") { Description = "PGD step length (L2) in training", DefaultValueFactory = _ => 0.3 };
        var advSteps = new Option<int>("--adv-steps") { Description = "PGD steps in training", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 50 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var attackEps = new Option<string>("--attack-eps") { Description = "comma list of L2 radii per sentence of the evaluation PGD on the embedded sequence (robust_accuracy is at the largest)", DefaultValueFactory = _ => "0.25,0.5,1" };
        var attackSteps = new Option<int>("--attack-steps") { Description = "steps of the evaluation PGD", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch (the model is small: 1 is usually fastest, and kind to a shared machine)", DefaultValueFactory = _ => 1 };
        var seed = Opts.Seed();
        var seeds = new Option<string?>("--seeds") { Description = "comma list of seeds: train once per seed and report mean ± sd" };
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/text" };
        var json = Opts.Json();
        var quiet = Opts.Quiet();
        var cmd = new Command("train", "Train the sentiment CNN (GloVe embeddings), optionally with FGM/PGD on the embedding; report clean and embedding-PGD accuracy.")
        {
            dataDir, adv, eps, alpha, advSteps, epochs, batch, lr, attackEps, attackSteps, threads, seed, seeds, outDir, json, quiet,
        };
        cmd.SetAction(p =>
        {
            var options = new TextTrainOptions
            {
                Adv = p.GetValue(adv)!,
                Eps = p.GetValue(eps),
                Alpha = p.GetValue(alpha),
                AdvSteps = p.GetValue(advSteps),
                Epochs = p.GetValue(epochs),
                BatchSize = p.GetValue(batch),
                Lr = p.GetValue(lr),
                AttackEps = Opts.ParseList(p.GetValue(attackEps)!, "--attack-eps").Distinct().Order().ToArray(),
                AttackSteps = p.GetValue(attackSteps),
                Seed = p.GetValue(seed),
            }.Validate();
            var seedList = p.GetValue(seeds) is { } s ? ParseSeeds(s) : null;
            var threadCount = p.GetValue(threads);
            if (threadCount < 1) throw new AdvexException($"--threads must be >= 1 (got {threadCount})");
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out", (p.GetValue(json), "--json"));
            Native.TorchRuntime.EnsureLoaded();
            var previous = TorchSharp.torch.get_num_threads();
            TorchSharp.torch.set_num_threads(threadCount);
            try
            {
                Run(ui, p.GetValue(dataDir), options, seedList, p.GetValue(outDir)!, p.GetValue(json));
            }
            finally
            {
                TorchSharp.torch.set_num_threads(previous);
            }
            return 0;
        });
        return cmd;
    }

    public static int[] ParseSeeds(string s)
    {
        var parts = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new AdvexException("--seeds: empty list");
        var seeds = parts.Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new AdvexException($"--seeds: '{x}' is not an integer")).ToArray();
        if (seeds.Distinct().Count() != seeds.Length) throw new AdvexException($"--seeds: '{s}' repeats a seed");
        return seeds;
    }

    /// <summary>Trains once per seed (or once with options.Seed) and writes curves and JSON into <paramref name="outDir"/>.</summary>
    public static TextTrainingSummary Run(Ui ui, string? dataDir, TextTrainOptions options, int[]? seeds, string outDir, string? json)
    {
        using var corpus = SentimentCorpus.Load(dataDir, options.MaxLength);
        var data = new TextDataInfo(corpus.Dir, corpus.Train.Count, corpus.Val.Count, corpus.Test.Count, corpus.Vocabulary.Count);
        var attackInfo = new TextAttackInfo("embedding-pgd", "l2 per sentence", options.AttackEps.Order().ToArray(), options.AttackSteps,
            "2.5*eps/steps");
        ui.Line($"Training TextCnn on {data.Train} train / {data.Val} val / {data.Test} test sentences (vocabulary " +
                $"{data.Vocabulary}), {options.Epochs} epochs, adv {options.Adv}" +
                (options.Adv == "none" ? "" : $" eps {options.Eps}") + (options.Adv == "pgd" ? $" alpha {options.Alpha} steps {options.AdvSteps}" : "") +
                $", evaluation PGD L2 eps {string.Join(",", attackInfo.Eps)} per sentence, {options.AttackSteps} steps");
        var runSeeds = seeds ?? [options.Seed];
        var runs = new List<TextRun>();
        foreach (var s in runSeeds)
        {
            var o = options with { Seed = s };
            var result = ui.WithProgress($"text train seed {s}", report =>
            {
                var batches = Batching.Count(corpus.Train.Count, o.BatchSize);
                var trainer = new TextTrainer
                {
                    OnBatch = (epoch, b, n) => report((epoch - 1) * batches + b, o.Epochs * batches),
                    OnEpoch = m => ui.Line(
                        $"seed {s} epoch {m.Epoch,3}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} " +
                        $"acc {m.TestAccuracy:P2} | val acc {m.Extra["val_accuracy"]:P2} | {m.Seconds:F1}s"),
                };
                return trainer.Train(corpus, o);
            });
            result.Model.Dispose();
            ui.Line($"seed {s}: clean test accuracy {result.TestAccuracy:P2}, embedding-PGD accuracy " +
                    string.Join(", ", result.Robust.Select(r => $"{r.Accuracy:P2} at eps {r.Eps}")) + $" ({result.Seconds:F1}s)");
            var run = new TextRun(s, result.TestAccuracy, result.ValAccuracy, result.RobustAccuracy, result.Robust.ToList(),
                result.Seconds, result.History.ToList());
            runs.Add(run);
            var runDir = seeds is null ? outDir : Path.Combine(outDir, $"seed-{s}");
            TrainingFigures.Write(runDir, run.Epochs);
            JsonOutput.Write(Path.Combine(runDir, "training.json"), Summarize([run], attackInfo, data, o));
        }

        var summary = Summarize(runs, attackInfo, data, options);
        if (seeds != null) JsonOutput.Write(Path.Combine(outDir, "training.json"), summary);
        if (json != null) JsonOutput.Write(json, summary);
        var table = new Table().Title($"TextCnn, adv {options.Adv}, over {runs.Count} seed(s)")
            .AddColumn("figure").AddColumn("mean").AddColumn("sd");
        table.AddRow("clean test accuracy", $"{summary.TestAccuracy:P2}", $"{summary.TestAccuracySd:P2}");
        foreach (var r in summary.RobustByEps)
            table.AddRow($"embedding-PGD accuracy (L2 {r.Eps} per sentence)", $"{r.Accuracy:P2}", $"{r.Sd:P2}");
        table.AddRow("val accuracy", $"{summary.ValAccuracy:P2}", $"{summary.ValAccuracySd:P2}");
        ui.Write(table);
        ui.Line($"curves and JSON written to {Path.GetFullPath(outDir)}");
        return summary;
    }

    private static TextTrainingSummary Summarize(List<TextRun> runs, TextAttackInfo attack, TextDataInfo data, TextTrainOptions options)
    {
        var (testMean, testSd) = MeanSd(runs.Select(r => r.TestAccuracy));
        var (robustMean, robustSd) = MeanSd(runs.Select(r => r.RobustAccuracy));
        var (valMean, valSd) = MeanSd(runs.Select(r => r.ValAccuracy));
        var epochs = runs.Count == 1 ? runs[0].Epochs : MeanEpochs(runs);
        var byEps = attack.Eps.Select(e =>
        {
            var (m, sd) = MeanSd(runs.Select(r => r.Robust.First(p => p.Eps == e).Accuracy));
            return new RobustSummary(e, m, sd);
        }).ToList();
        return new TextTrainingSummary(testMean, testSd, robustMean, robustSd, byEps, valMean, valSd,
            runs.Select(r => r.Seed).ToArray(), epochs, runs, attack, data, options);
    }

    /// <summary>Mean and sample standard deviation (n − 1; 0 for a single value).</summary>
    public static (double Mean, double Sd) MeanSd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return (mean, sd);
    }

    private static List<EpochMetrics> MeanEpochs(List<TextRun> runs) =>
        Enumerable.Range(0, runs.Min(r => r.Epochs.Count)).Select(i =>
        {
            var at = runs.Select(r => r.Epochs[i]).ToList();
            return new EpochMetrics(i + 1, at.Average(m => m.TrainLoss), at.Average(m => m.TrainAccuracy),
                at.Average(m => m.TestLoss), at.Average(m => m.TestAccuracy), at[0].Lr, at.Average(m => m.Seconds))
            {
                Extra = at[0].Extra.Keys.ToDictionary(k => k, k => at.Average(m => m.Extra.GetValueOrDefault(k, double.NaN))),
            };
        }).ToList();
}

public sealed record TextRun(int Seed, double TestAccuracy, double ValAccuracy, double RobustAccuracy,
    List<RobustPoint> Robust, double Seconds, List<EpochMetrics> Epochs);

public sealed record TextAttackInfo(string Attack, string Norm, double[] Eps, int Steps, string StepSize);

public sealed record RobustSummary(double Eps, double Accuracy, double Sd);

public sealed record TextDataInfo(string Dir, int Train, int Val, int Test, int Vocabulary);

/// <summary>The training JSON of <c>advex text train</c>: means (and sample sd) over the seeds' final figures
/// (<c>robust_accuracy</c> at the largest attack ε, <c>robust_by_eps</c> at each); with several seeds,
/// <c>epochs</c> holds the per-epoch means and <c>runs</c> each seed's figures (<c>seeds</c> lists the seeds run;
/// <c>options.seed</c> is the <c>--seed</c> value, which <c>--seeds</c> overrides).</summary>
public sealed record TextTrainingSummary(double TestAccuracy, double TestAccuracySd, double RobustAccuracy,
    double RobustAccuracySd, List<RobustSummary> RobustByEps, double ValAccuracy, double ValAccuracySd, int[] Seeds, List<EpochMetrics> Epochs,
    List<TextRun> Runs, TextAttackInfo Attack, TextDataInfo Data, TextTrainOptions Options);
