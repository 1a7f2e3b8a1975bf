namespace Advex.Reporting.Html;

using System.Globalization;
using System.Text;
using Advex.IO;

/// <summary>
/// <c>advex report</c>: one self-contained static HTML page (inline CSS, no script, no network; images copied
/// beside it under <c>img/</c>) from evaluation, optimizer, universal-perturbation, patch and per-epoch JSON and the
/// figures of run folders.
/// Every section is present; one without input says "Not run".
/// </summary>
public static class HtmlReport
{
    public const string IndexFile = "index.html";
    public const string ImageDir = "img";

    /// <summary>The section ids, in page order (the browser test looks them up).</summary>
    public static readonly IReadOnlyList<(string Id, string Title)> Sections =
    [
        ("summary", "How robust is this model?"), ("metadata", "Run metadata"), ("clean", "Clean accuracy and per-class table"),
        ("robustness", "Robust accuracy by attack and ε"), ("worst-case", "Per-sample worst case"), ("timing", "Attack timing"),
        ("examples", "Example grids"), ("sanity", "Sanity checks"),
        ("universal", "Universal perturbations"), ("patch", "Adversarial patches"), ("optimizers", "Optimizer comparison (step 003 of the original notes)"),
        ("training", "Training curves"), ("generative", "Generative models"),
    ];

    /// <summary>Reads <paramref name="from"/> (run folders or JSON files) and writes the report into
    /// <paramref name="outDir"/>; returns the path of <c>index.html</c>.</summary>
    public static string Write(IEnumerable<string> from, string outDir, string title = "Advex robustness report")
    {
        var list = from.ToList();
        return Write(ReportInputs.Load(list, outDir), outDir, title, list);
    }

    public static string Write(ReportInputs inputs, string outDir, string title, IReadOnlyList<string> from)
    {
        var img = Path.Combine(outDir, ImageDir);
        if (Directory.Exists(img)) Directory.Delete(img, recursive: true);
        Directory.CreateDirectory(img);

        var accuracyCharts = Rel(ReportCharts.AccuracyVsEps(img, inputs.Evals));
        var stageCharts = Rel(ReportCharts.Stages(img, inputs.Evals));
        var optimizerCharts = inputs.Optimizers.Select((o, i) => Rel(ReportCharts.Optimizers(img, $"optimizers-{i}", o))).ToList();
        var training = inputs.Trainings.Where(t => !t.Generative).ToList();
        var generative = inputs.Trainings.Where(t => t.Generative).ToList();
        var trainingCharts = training.Select((t, i) => Rel(ReportCharts.Epochs(img, $"training-{i}", t))).ToList();
        var generativeCharts = generative.Select((t, i) => Rel(ReportCharts.Epochs(img, $"generative-{i}", t))).ToList();

        var examples = new List<Source<string>>();
        var trainingFigures = new List<Source<string>>();
        var generativeFigures = new List<Source<string>>();
        var epochFolders = inputs.Trainings.Select(t => Path.GetDirectoryName(t.Path)).ToHashSet();
        var optimizerFolders = inputs.Optimizers.Select(o => Path.GetDirectoryName(o.Path)).ToHashSet();
        var oneEpoch = inputs.Trainings.Where(t => t.Epochs.Count < 2).Select(t => Path.GetDirectoryName(t.Path)).ToHashSet();
        var featureFolders = inputs.Features.Select(o => Path.GetDirectoryName(o.Path)).ToHashSet();
        var featureFigures = new List<Source<string>>();
        var universalFolders = inputs.Universals.Select(u => Path.GetDirectoryName(u.Path)).ToHashSet();
        var patchFolders = inputs.Patches.Select(p => Path.GetDirectoryName(p.Path)).ToHashSet();
        var universalFigures = new List<Source<string>>();
        var patchFigures = new List<Source<string>>();
        var n = 0;
        foreach (var image in inputs.Images)
        {
            var name = image.Value;
            var folder = Path.GetDirectoryName(image.Path);
            List<Source<string>>? into =
                name.StartsWith("accuracy_vs_eps", StringComparison.Ordinal) ? null // regenerated per model and norm
                // a per-epoch curve of a one-epoch run is a single dot: its table says it all
                : oneEpoch.Contains(folder) && !IsGrid(name) ? null
                // the latest grid is a copy of the last epoch's
                : name == GenerativeFigures.LatestSamples && inputs.Images.Any(i => Path.GetDirectoryName(i.Path) == folder
                    && i.Value.StartsWith("samples_epoch_", StringComparison.Ordinal)) ? null
                : name is TrainingFigures.LossPlot or TrainingFigures.AccuracyPlot && epochFolders.Contains(folder) ? null
                : name.StartsWith("optimizers_", StringComparison.Ordinal) && optimizerFolders.Contains(folder) ? null
                : name.StartsWith("features_", StringComparison.Ordinal) && featureFolders.Contains(folder) ? featureFigures
                : universalFolders.Contains(folder) ? universalFigures
                : patchFolders.Contains(folder) ? patchFigures
                : name.Contains("example", StringComparison.OrdinalIgnoreCase) || name.Contains("grid", StringComparison.OrdinalIgnoreCase) ? examples
                : image.Label.Contains("gan", StringComparison.OrdinalIgnoreCase) || name.Contains("sample", StringComparison.OrdinalIgnoreCase)
                    || generative.Any(g => Path.GetDirectoryName(g.Path) == folder) ? generativeFigures
                : trainingFigures;
            if (into is null) continue;
            var copy = $"{ImageDir}/{n++:000}-{Safe(name)}";
            File.Copy(image.Path, Path.Combine(outDir, copy), overwrite: true);
            into.Add(image with { Value = copy });
        }

        var body = new Dictionary<string, string>
        {
            ["summary"] = EvalSections.Summary(inputs.Evals, stageCharts.Count > 0 ? stageCharts[0] : null),
            ["metadata"] = EvalSections.Metadata(inputs.Evals),
            ["clean"] = EvalSections.Clean(inputs.Evals),
            ["robustness"] = EvalSections.Robustness(inputs.Evals, accuracyCharts, stageCharts),
            ["worst-case"] = EvalSections.WorstCase(inputs.Evals),
            ["timing"] = EvalSections.Timing(inputs.Evals),
            ["examples"] = RunSections.Examples(examples),
            ["sanity"] = EvalSections.Sanity(inputs.Evals),
            ["universal"] = LearnedAttackSections.Universal(inputs.Universals, universalFigures),
            ["patch"] = LearnedAttackSections.Patch(inputs.Patches, patchFigures),
            ["optimizers"] = RunSections.Optimizers(inputs.Optimizers, optimizerCharts, inputs.Features, featureFigures),
            ["training"] = RunSections.Epochs(training, trainingCharts, trainingFigures,
                "no per-epoch JSON (training.json, adversarial training) among the inputs"),
            ["generative"] = RunSections.Epochs(generative, generativeCharts, generativeFigures,
                "no GAN or AdvGAN run among the inputs"),
        };
        var html = Page(title, body, inputs, from);
        var path = Path.Combine(outDir, IndexFile);
        AtomicFile.WriteAllText(path, html);
        return Path.GetFullPath(path);
    }

    private static List<(string, string)> Rel(List<(string File, string Caption)> charts) =>
        charts.Select(c => ($"{ImageDir}/{c.File}", c.Caption)).ToList();

    private static bool IsGrid(string name) =>
        name.Contains("sample", StringComparison.OrdinalIgnoreCase) || name.Contains("grid", StringComparison.OrdinalIgnoreCase)
        || name.Contains("example", StringComparison.OrdinalIgnoreCase);

    private static string Safe(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());

    private static string Page(string title, Dictionary<string, string> body, ReportInputs inputs, IReadOnlyList<string> from)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{Html.Text(title)}</title><style>{ReportStyle.Css}</style></head><body>")
            .Append($"<header><div class=\"inner\"><h1>{Html.Text(title)}</h1>")
            .Append($"<p class=\"muted\">Generated {DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)} by Advex {Html.Text(VersionInfo.Advex)} from {Html.Text(string.Join(", ", from))}</p><nav>");
        foreach (var (id, t) in Sections) sb.Append($"<a href=\"#{id}\">{Html.Text(t)}</a>");
        sb.Append("</nav></div></header><main>");
        foreach (var (id, t) in Sections)
            sb.Append($"<section id=\"{id}\"><h2>{Html.Text(t)}</h2>").Append(body[id]).Append("</section>");
        if (inputs.Skipped.Count > 0)
            sb.Append("<p class=\"muted\">Other JSON files read and not shown: ").Append(Html.Text(string.Join(", ", inputs.Skipped))).Append("</p>");
        sb.Append("<p class=\"muted\">How to read this report: docs/reading-the-report.md in the Advex repository.</p>");
        return sb.Append("</main></body></html>\n").ToString();
    }
}
