namespace Advex.Reporting.Html;

using System.Text.Json;
using Advex.Evaluation;
using Advex.IO;

/// <summary>A result file and the name it goes by in the report (its path relative to the --from folder).</summary>
public sealed record Source<T>(string Path, string Label, T Value);

/// <summary>
/// Any JSON with an <c>epochs</c> array (<c>advex train</c>, adversarial training, <c>gan train</c>,
/// <c>advgan train</c>, ...): every numeric per-epoch field, flattened (<c>extra.pgd_accuracy</c> → <c>pgd_accuracy</c>).
/// </summary>
public sealed record EpochsRun(string Path, string Label, IReadOnlyList<string> Keys,
    IReadOnlyList<IReadOnlyDictionary<string, double>> Epochs, double? TestAccuracy, bool Generative);

/// <summary>What <c>advex report</c> found in its inputs.</summary>
public sealed record ReportInputs(
    IReadOnlyList<Source<EvalReport>> Evals,
    IReadOnlyList<Source<OptimizerComparison>> Optimizers,
    IReadOnlyList<EpochsRun> Trainings,
    IReadOnlyList<Source<string>> Images,
    IReadOnlyList<string> Skipped)
{
    /// <summary>Inputs that could not be used, with the reason: a named file that holds no result, a damaged result
    /// file inside a folder, a folder with nothing to show. The report command warns about each.</summary>
    public IReadOnlyList<string> Unusable { get; init; } = [];

    /// <summary>Feature-space optimizer comparisons (<c>optimizers</c> and <c>feature_dimensions</c>).</summary>
    public IReadOnlyList<Source<FeatureComparison>> Features { get; init; } = [];

    /// <summary>Universal perturbations (<c>universal.json</c> of <c>attack --universal</c>).</summary>
    public IReadOnlyList<Source<UniversalSummary>> Universals { get; init; } = [];

    /// <summary>Adversarial patches (<c>patch.json</c> of <c>attack --patch</c>).</summary>
    public IReadOnlyList<Source<PatchSummary>> Patches { get; init; } = [];

    /// <summary>True when no input gave anything to report.</summary>
    public bool IsEmpty => Evals.Count + Optimizers.Count + Features.Count + Trainings.Count + Images.Count + Universals.Count + Patches.Count == 0;

    /// <summary>
    /// Reads run folders (recursively) and files. JSON is recognised by content: an evaluation (<c>runs</c> and
    /// <c>clean_accuracy</c>), an optimizer comparison (<c>optimizers</c> and <c>target</c>), a feature-space comparison
    /// (<c>optimizers</c> and <c>feature_dimensions</c>), a universal perturbation (<c>passes</c>, <c>fooling_rate</c>
    /// and <c>perturbation</c>), an adversarial patch (<c>epochs</c>, <c>success_rate</c> and <c>patch</c>) or anything with an
    /// <c>epochs</c> array; other JSON (model manifests, checkpoints) is listed as skipped. Identical files count once.
    /// Files under <paramref name="exclude"/> (the report's own folder) are ignored.
    /// </summary>
    public static ReportInputs Load(IEnumerable<string> from, string? exclude = null)
    {
        var excluded = exclude is null ? null : Path.GetFullPath(exclude).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        var files = new List<(string Path, string Label, int Item)>();
        var items = from.ToList();
        for (var itemIndex = 0; itemIndex < items.Count; itemIndex++)
        {
            var item = items[itemIndex];
            if (Directory.Exists(item))
            {
                var root = Path.GetFullPath(item);
                var name = Path.GetFileName(root.TrimEnd('/', '\\'));
                files.AddRange(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ||
                                f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Where(f => excluded is null || !f.StartsWith(excluded, StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    // labels are paths inside the folder, prefixed by its name when there are several inputs
                    .Select(f => (f, (items.Count > 1 ? Path.Combine(name, Path.GetRelativePath(root, f))
                        : Path.GetRelativePath(root, f)).Replace('\\', '/'), itemIndex)));
            }
            else if (File.Exists(item)) files.Add((Path.GetFullPath(item), Path.GetFileName(item), itemIndex));
            else throw AdvexException.About($"from: '{item}' is neither a folder nor a file", "from");
        }

        var evals = new List<Source<EvalReport>>();
        var optimizers = new List<Source<OptimizerComparison>>();
        var features = new List<Source<FeatureComparison>>();
        var universals = new List<Source<UniversalSummary>>();
        var patches = new List<Source<PatchSummary>>();
        var trainings = new List<EpochsRun>();
        var images = new List<Source<string>>();
        var skipped = new List<string>();
        var seen = new HashSet<string>();
        var used = new HashSet<int>();
        var unusable = new List<string>();
        const string NotAResult = "not an evaluation, optimizer comparison, universal perturbation, patch or per-epoch JSON";
        foreach (var (path, label, item) in files.DistinctBy(f => f.Path))
        {
            var named = !Directory.Exists(items[item]);
            var problem = Classify(path, label);
            if (problem is null) used.Add(item);
            else
            {
                skipped.Add(problem == NotAResult ? label : $"{label} ({problem})");
                // inside a folder, other JSON (manifests, checkpoints) is expected; a damaged result file is not
                if (named) unusable.Add($"{items[item]}: {problem}");
                else if (problem != NotAResult) unusable.Add($"{path}: {problem}");
            }
        }
        for (var i = 0; i < items.Count; i++)
            if (Directory.Exists(items[i]) && !used.Contains(i))
                unusable.Add($"{items[i]}: no evaluation, optimizer comparison, training run or figure in this folder");
        return new ReportInputs(evals, optimizers, trainings, images, skipped) { Unusable = unusable, Features = features, Universals = universals, Patches = patches };

        // null when the file was used (or is a copy of one already read), else why not
        string? Classify(string path, string label)
        {
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                images.Add(new Source<string>(path, label, Path.GetFileName(path)));
                return null;
            }
            // a named pipe or a device among the inputs would block or never end: skipped by name, never opened
            if (FileKinds.Of(path, followLinks: true) is var kind && kind != FileKind.Regular)
                return $"{kind.Describe()}, not a regular file";
            var text = JsonFile.ReadText(path, "report input");
            if (!seen.Add(text)) return null;
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(text);
                root = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return "not valid JSON";
            }
            try
            {
                if (root.ValueKind != JsonValueKind.Object) return NotAResult;
                if (Has(root, "runs", JsonValueKind.Array) && root.TryGetProperty("clean_accuracy", out _))
                    evals.Add(new Source<EvalReport>(path, label, JsonOutput.Read<EvalReport>(path)));
                else if (Has(root, "optimizers", JsonValueKind.Array) && root.TryGetProperty("feature_dimensions", out _))
                    features.Add(new Source<FeatureComparison>(path, label, JsonOutput.Read<FeatureComparison>(path)));
                else if (Has(root, "optimizers", JsonValueKind.Array) && root.TryGetProperty("target", out _))
                    optimizers.Add(new Source<OptimizerComparison>(path, label, JsonOutput.Read<OptimizerComparison>(path)));
                else if (Has(root, "passes", JsonValueKind.Array) && root.TryGetProperty("fooling_rate", out _) && root.TryGetProperty("perturbation", out _))
                    universals.Add(new Source<UniversalSummary>(path, label, JsonOutput.Read<UniversalSummary>(path)));
                else if (Has(root, "epochs", JsonValueKind.Array) && root.TryGetProperty("success_rate", out _) && root.TryGetProperty("patch", out _))
                    patches.Add(new Source<PatchSummary>(path, label, JsonOutput.Read<PatchSummary>(path)));
                else if (Has(root, "epochs", JsonValueKind.Array)) trainings.Add(ReadEpochs(path, label, root));
                else return NotAResult;
                return null;
            }
            catch (AdvexException e)
            {
                return e.Message;
            }
        }
    }

    private static bool Has(JsonElement e, string name, JsonValueKind kind) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == kind;

    private static EpochsRun ReadEpochs(string path, string label, JsonElement root)
    {
        var epochs = new List<IReadOnlyDictionary<string, double>>();
        foreach (var e in root.GetProperty("epochs").EnumerateArray())
        {
            var values = new Dictionary<string, double>();
            if (e.ValueKind == JsonValueKind.Object) Flatten(e, values);
            epochs.Add(values);
        }
        var keys = epochs.SelectMany(e => e.Keys).Distinct().ToList();
        double? test = root.TryGetProperty("test_accuracy", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
        var generative = label.Contains("gan", StringComparison.OrdinalIgnoreCase) ||
                         keys.Any(k => k.Contains("generator", StringComparison.OrdinalIgnoreCase) ||
                                       k.Contains("discriminator", StringComparison.OrdinalIgnoreCase) ||
                                       k.StartsWith("g_", StringComparison.OrdinalIgnoreCase) ||
                                       k.StartsWith("d_", StringComparison.OrdinalIgnoreCase));
        return new EpochsRun(path, label, keys, epochs, test, generative);
    }

    private static void Flatten(JsonElement e, Dictionary<string, double> into)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number) into[p.Name] = p.Value.GetDouble();
            else if (p.Value.ValueKind == JsonValueKind.Object) Flatten(p.Value, into);
        }
    }
}
