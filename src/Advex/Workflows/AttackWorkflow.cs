namespace Advex.Workflows;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;
using static TorchSharp.torch;

/// <summary>
/// <c>advex attack</c> as a library call: runs one attack at one ε over a dataset and saves the adversarial images
/// in the input's own format (<see cref="DatasetWriter"/>: IDX for IDX data, CIFAR binary for cifar10:/cifar100:, a
/// folder of PNGs for images:; 8-bit like the input), the model's predictions (IDX), a PNG grid (clean, adversarial,
/// difference amplified per channel) and the JSON summary (the <c>eval.json</c> schema) into a folder.
/// </summary>
public static class AttackWorkflow
{
    public const string ImagesFile = DatasetWriter.IdxImages;
    public const string LabelsFile = DatasetWriter.IdxLabels;
    public const string PredictionsFile = "adversarial-predictions-idx1-ubyte.gz";
    public const string GridFile = "adversarial_grid.png";
    public const string SummaryFile = "summary.json";

    public static EvalReport Run(Classifier model, Dataset data, Attack attack, EvalOptions options, string modelPath,
        string outDir, IProgress<JobProgress>? progress = null)
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
            OnProgress = (done, total) => progress?.Report(new JobProgress(attack.Name, done, total)),
            OnStep = (done, total, label) => progress?.Report(new JobProgress($"attack {label}", done, total)),
        };
        var report = evaluator.Evaluate(model, data, [attack], options, modelPath);

        Directory.CreateDirectory(outDir);
        DatasetWriter.Write(outDir, data, images);
        Idx.Write(Path.Combine(outDir, PredictionsFile), new IdxArray([data.Count], predictions));
        WriteGrid(Path.Combine(outDir, GridFile), report.Examples[0], data);
        JsonOutput.Write(Path.Combine(outDir, SummaryFile), report);
        return report;
    }

    /// <summary>Three rows: clean (true label), adversarial (prediction), difference amplified to the full range.</summary>
    private static void WriteGrid(string path, ExampleRow row, Dataset data)
    {
        string Name(long c) => c >= 0 && c < data.ClassNames.Length ? data.ClassNames[c] : c.ToString();
        var diffs = row.Images.Select(i => PerturbationImage.Amplified(i.Adversarial, i.Clean, data.Channels)).ToList();
        ImageGrid.Save(path,
        [
            new("clean", row.Images.Select(i => new ImageGrid.Cell(i.Clean, $"{Name(i.TrueLabel)}")).ToList()),
            new("adversarial", row.Images.Select(i => new ImageGrid.Cell(i.Adversarial, $"→ {Name(i.AdversarialPrediction)}",
                i.AdversarialPrediction != i.TrueLabel)).ToList()),
            new("difference", diffs.Select(d => new ImageGrid.Cell(d, "amplified")).ToList()),
        ], data.Channels, data.Height, data.Width, title: $"{row.Attack} ε={row.Eps?.ToString() ?? "-"}: clean, adversarial, difference (grey = 0)");
    }
}
