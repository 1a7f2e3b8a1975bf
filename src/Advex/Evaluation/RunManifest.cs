namespace Advex.Evaluation;

using Advex.Attacks;
using Advex.Data;
using Advex.Models;

/// <summary>One run of an evaluation as configured: an attack at one ε (null for minimisation attacks).</summary>
public sealed record RunSpec(string Attack, string Key, string Norm, double? Eps,
    IReadOnlyDictionary<string, object> Params, bool Randomized);

/// <summary>The model as the evaluation used it.</summary>
public sealed record ModelConfig(string Kind, string? Architecture, int Classes, long[] InputShape, double[]? Mean,
    double[]? Std, double Lower, double Upper, string? Backend = null, string? MemoryFormat = null,
    string? CheckpointEntry = null)
{
    public static ModelConfig Of(Classifier model) =>
        new(model.Kind, model.Architecture, model.Classes, model.InputShape, model.Normalization?.Mean,
            model.Normalization?.Std, model.Lower, model.Upper, model.Backend.Name(), model.MemoryFormat.Name(),
            model.CheckpointEntry);
}

/// <summary>Which samples were evaluated: <c>Count</c> is the size of the split after <c>--limit</c>; <c>Spec</c> names
/// a folder by its real path.</summary>
public sealed record DataConfig(string Spec, string Split, int Count);

/// <summary>
/// Everything that determines the records of an evaluation: model and data (with SHA-256 fingerprints), class
/// names, where the labels came from (<c>dataset</c>, or <c>predicted</c>: the model's clean predictions), seed,
/// targets, the runs, cascade and early stop. Batch size is not part of it (records do not depend on it). Two
/// folders can be resumed or merged only when their configurations are equal
/// (<see cref="ConfigDifference"/>: the data spec's folder is recorded as its real path and compared by kind and
/// fingerprint).
/// </summary>
public sealed record RunConfig(
    ModelConfig Model,
    string ModelSha256,
    DataConfig Data,
    string DataSha256,
    string[] ClassNames,
    int Seed,
    string Target,
    bool Cascade,
    bool EarlyStop,
    double[] Eps,
    List<RunSpec> Runs,
    string Labels = Dataset.LabelsFromDataset)
{
    public static RunConfig Of(Classifier model, string modelPath, Dataset data, IReadOnlyList<Attack> attacks,
        EvalOptions options) => new(
        ModelConfig.Of(model),
        Fingerprint.OfModel(modelPath),
        new DataConfig(ConfigDifference.ResolveSpec(data.Spec), data.Split, data.Count),
        Fingerprint.OfData(data),
        data.ClassNames,
        options.Seed,
        options.Target.ToString(),
        options.Cascade,
        options.EarlyStop,
        options.Eps,
        attacks.Select(a => new RunSpec(a.Name, RunKey(a), a.Norm.Name(), a.IsBounded ? a.Eps : null, a.ReportedParams,
            a.IsRandomized)).ToList(),
        data.Labels);

    /// <summary>A stable key for a run, e.g. <c>fgsm@0.1</c>, or <c>pgd@0.3+eot10</c> with EoT.</summary>
    public static string RunKey(Attack a) =>
        (a.IsBounded ? $"{a.Name}@{a.Eps.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}" : a.Name) +
        (a.Eot > 1 ? $"+eot{a.Eot}" : "");
}

/// <summary>
/// <c>run.json</c> of an evaluation folder: the configuration, the shard (null for a whole or merged evaluation),
/// and where and when it ran (provenance, not compared).
/// </summary>
public sealed record RunManifest(
    RunConfig Configuration,
    Shard? Shard,
    string ModelPath,
    string Command,
    string AdvexVersion,
    DateTime StartedUtc)
{
    public string Schema { get; init; } = "advex-run/1";

    /// <summary>The batch size this process ran with (provenance: records do not depend on it).</summary>
    public int? BatchSize { get; init; }

    /// <summary>How the batch size was chosen: the memory budget in bytes and the peak estimate per sample when it was
    /// <c>auto</c>, else null (provenance).</summary>
    public BatchPlan? BatchPlan { get; init; }
    public const string FileName = "run.json";
}
