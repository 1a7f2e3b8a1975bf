namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;
using static TorchSharp.torch;

/// <summary>
/// <c>advex attack ... --out &lt;dir&gt;</c>: runs one attack at one ε and saves the adversarial images (IDX, 8-bit like
/// the input; labels alongside), a PNG grid (clean, adversarial, amplified difference) and the JSON summary.
/// </summary>
public static class AttackCommand
{
    public const string ImagesFile = "adversarial-images-idx3-ubyte.gz";
    public const string LabelsFile = "adversarial-labels-idx1-ubyte.gz";
    public const string PredictionsFile = "adversarial-predictions-idx1-ubyte.gz";
    public const string GridFile = "adversarial_grid.png";
    public const string SummaryFile = "summary.json";

    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var attack = new Option<string>("--attack") { Description = string.Join(" ", AttackRegistry.Names), DefaultValueFactory = _ => "fgsm" };
        var eps = new Option<string>("--eps") { Description = "ε (one value)", DefaultValueFactory = _ => "0.3" };
        var targeted = new Option<string?>("--targeted") { Description = "random, least-likely or a class index" };
        var outDir = new Option<string>("--out") { Description = "output folder", Required = true };
        var count = new Option<int>("--grid") { Description = "samples shown in the PNG grid", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 256 };
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var attackOptions = new AttackOptions();
        var cmd = new Command("attack", "Attack a dataset and save the adversarial images (IDX + PNG grid) with a JSON summary.")
        {
            attack, eps, targeted, outDir, count, batch, seed, quiet,
        };
        source.AddTo(cmd);
        attackOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var epsList = Opts.ParseEps(p.GetValue(eps)!);
            if (epsList.Length != 1) throw new AdvexException("--eps: attack takes one ε (use eval for a sweep)");
            var name = p.GetValue(attack)!;
            var theAttack = EvalCommand.BuildAttacks([name], epsList, attackOptions.Read(p)).Single();
            if (p.GetValue(count) < 1) throw new AdvexException("--grid must be >= 1");
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            var modelPath = source.ModelPath(p);
            using var classifier = source.LoadModel(p);
            theAttack.CheckBudget(classifier);
            using var dataset = source.LoadData(p);
            Run(ui, classifier, dataset, theAttack, new EvalOptions
            {
                BatchSize = p.GetValue(batch),
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
        var plane = data.Channels * data.Height * data.Width;
        var images = new byte[(long)data.Count * plane];
        var predictions = new byte[data.Count];
        var evaluator = new RobustnessEvaluator
        {
            OnBatchResult = (_, idx, result) =>
            {
                using var bytes = result.Adversarial.mul(255).round_().clamp_(0, 255).to_type(ScalarType.Byte);
                bytes.data<byte>().CopyTo(images, checked((int)(idx[0] * plane)));
                var pred = result.Predictions.data<long>().ToArray();
                for (var i = 0; i < idx.Length; i++) predictions[idx[i]] = (byte)pred[i];
            },
        };
        var report = ui.WithProgress(attack.Name, progress =>
            (evaluator with { OnProgress = (_, _, done, total) => progress(done, total) })
            .Evaluate(model, data, [attack], options, modelPath));

        Directory.CreateDirectory(outDir);
        int[] dims = data.Channels == 1 ? [data.Count, data.Height, data.Width] : [data.Count, data.Channels, data.Height, data.Width];
        Idx.Write(Path.Combine(outDir, ImagesFile), new IdxArray(dims, images));
        Idx.Write(Path.Combine(outDir, LabelsFile), new IdxArray([data.Count], data.LabelArray.Select(l => (byte)l).ToArray()));
        Idx.Write(Path.Combine(outDir, PredictionsFile), new IdxArray([data.Count], predictions));
        WriteGrid(Path.Combine(outDir, GridFile), report.Examples[0], data);
        JsonOutput.Write(Path.Combine(outDir, SummaryFile), report);
        var run = report.Runs[0];
        ui.Line($"{attack.Name} ε={run.Eps?.ToString() ?? "-"}: clean {report.CleanAccuracy:P2} → robust {run.RobustAccuracy:P2}, " +
                $"success {run.AttackSuccessRate:P2}, mean L2 {run.MeanL2:F3}, {run.ImagesPerSecond:F0} img/s");
        foreach (var s in report.Sanity.Where(s => !s.Ok)) ui.Warn($"{s.Check}: {s.Detail}");
        ui.Line($"wrote {data.Count} adversarial images, the grid and the summary to {Path.GetFullPath(outDir)}");
    }

    /// <summary>Three rows: clean (true label), adversarial (prediction), difference amplified to the full range.</summary>
    private static void WriteGrid(string path, ExampleRow row, Dataset data)
    {
        string Name(long c) => c >= 0 && c < data.ClassNames.Length ? data.ClassNames[c] : c.ToString();
        var diffs = row.Images.Select(i =>
        {
            var d = i.Adversarial.Zip(i.Clean, (a, c) => a - c).ToArray();
            var scale = Math.Max(d.Max(Math.Abs), 1e-12f);
            return d.Select(v => 0.5f + 0.5f * v / scale).ToArray();
        }).ToList();
        ImageGrid.Save(path,
        [
            new("clean", row.Images.Select(i => new ImageGrid.Cell(i.Clean, $"{Name(i.TrueLabel)}")).ToList()),
            new("adversarial", row.Images.Select(i => new ImageGrid.Cell(i.Adversarial, $"→ {Name(i.AdversarialPrediction)}",
                i.AdversarialPrediction != i.TrueLabel)).ToList()),
            new("difference", diffs.Select(d => new ImageGrid.Cell(d, "amplified")).ToList()),
        ], data.Channels, data.Height, data.Width, title: $"{row.Attack} ε={row.Eps?.ToString() ?? "-"}: clean, adversarial, difference (grey = 0)");
    }
}
