namespace Advex.Evaluation;

/// <summary>
/// The machine-readable result of <c>advex eval</c> (DESIGN §8). Property names are written in snake_case.
/// Accuracies and rates are fractions in [0,1].
/// </summary>
public sealed record EvalReport
{
    public string Schema { get; init; } = "advex-eval/1";
    public required double CleanAccuracy { get; init; }
    public required ModelInfo Model { get; init; }
    public required DataInfo Data { get; init; }
    public int Seed { get; init; }
    public required List<RunResult> Runs { get; init; }
    /// <summary>Per ε, the per-sample worst case over all attacks run (a sample counts as robust only if every
    /// attack failed on it).</summary>
    public List<WorstCase> WorstCase { get; init; } = [];
    public required List<ClassFigures> PerClass { get; init; }
    public required List<SanityCheck> Sanity { get; init; }
    /// <summary>Merged evaluations: the checks a shard fails on its own records while the merged records pass them (a
    /// check over a shard's fewer samples can fail where the whole passes), so that no shard's warning is lost; absent
    /// otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<ShardWarning>? ShardWarnings { get; init; }
    [System.Text.Json.Serialization.JsonIgnore]
    public List<ExampleRow> Examples { get; init; } = [];
    public required Provenance Provenance { get; init; }
}

/// <summary>The evaluated model as eval.json describes it: run.json's model configuration plus its path.</summary>
public sealed record ModelInfo(string Path, string Kind, string? Architecture, int Classes, long[] InputShape,
    double[]? Mean, double[]? Std, string? Backend = null, string? MemoryFormat = null, string? CheckpointEntry = null);

/// <param name="Labels"><c>dataset</c>, or <c>predicted</c> (each sample's label is the model's clean prediction)</param>
public sealed record DataInfo(string Spec, string Split, int Count, string Labels = Data.Dataset.LabelsFromDataset);

public sealed record RunResult
{
    public required string Attack { get; init; }
    public required string Norm { get; init; }
    /// <summary>The budget; null for a minimisation attack reported without a budget.</summary>
    public double? Eps { get; init; }
    public required IReadOnlyDictionary<string, object> Params { get; init; }
    public bool Targeted { get; init; }
    public string? TargetMode { get; init; }
    public required double RobustAccuracy { get; init; }
    public required double AttackSuccessRate { get; init; }
    public required double MeanL2 { get; init; }
    public required double MedianL2 { get; init; }
    public required double MeanLinf { get; init; }
    public required double MaxLinf { get; init; }
    /// <summary>The largest L2 norm of a perturbation (for the within-ε check of L2 runs).</summary>
    public double MaxL2 { get; init; }
    /// <summary>Mean and median norm of the successful perturbations in the run's own norm (L∞, L2, L1 or L0: the
    /// norm a minimum-norm attack minimises).</summary>
    public double MeanNorm { get; init; }
    public double MedianNorm { get; init; }
    public required double Seconds { get; init; }
    public required double ImagesPerSecond { get; init; }
    public int Count { get; init; }
    public int NonFinite { get; init; }
    public double MinValue { get; init; }
    public double MaxValue { get; init; }
    /// <summary>Minimisation attacks (no ε budget): robust accuracy at each ε of the evaluation, counting a sample
    /// as broken at ε when the attack fooled the model with a perturbation of norm ≤ ε.</summary>
    public Dictionary<string, double>? RobustAccuracyAtEps { get; init; }
    /// <summary>Mean gradient evaluations per evaluated sample (from the records).</summary>
    public double GradientsPerSample { get; init; }
    /// <summary>Mean forward-only model queries per evaluated sample (from the records).</summary>
    public double QueriesPerSample { get; init; }
    /// <summary>Cascades (AutoAttack): robust accuracy after each stage and what each stage cost; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<StageResult>? Stages { get; init; }
    /// <summary>Guarded cascades (AutoAttack's fast version): whether and why samples were escalated to the remaining
    /// standard stages; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EscalationResult? Escalation { get; init; }
}

/// <summary>The escalation of a guarded AutoAttack version: its name, its stages, whether any sample was escalated,
/// how many, and per masking check how many samples it sent to the remaining standard stages.</summary>
public sealed record EscalationResult(string Version, List<string> Stages, bool Escalated, int EscalatedSamples,
    Dictionary<string, int> Reasons);

/// <summary>One stage of a cascade: robust accuracy after it (over every evaluated sample; a sample counts as broken
/// by the first stage that met its goal), its wall seconds, and gradient evaluations and forward-only passes per
/// evaluated image.</summary>
public sealed record StageResult(string Attack, double RobustAccuracy, double Seconds,
    double GradientEvaluationsPerImage, double ForwardPassesPerImage);

public sealed record WorstCase(double? Eps, string Norm, double RobustAccuracy, List<string> Attacks);

public sealed record ClassFigures(int Class, string Name, int Count, double CleanAccuracy,
    Dictionary<string, double> RobustAccuracy);

public sealed record SanityCheck(string Check, bool Ok, string Detail);

/// <summary>A sanity check that failed in one shard of a merged evaluation (<paramref name="Shard"/>: its folder).</summary>
public sealed record ShardWarning(string Shard, string Check, string Detail);

/// <summary>A few fixed samples (the first N of the split) under one run, for image grids.</summary>
public sealed record ExampleRow(string Attack, double? Eps, List<ExampleImage> Images);

public sealed record ExampleImage(int Index, long TrueLabel, long CleanPrediction, long AdversarialPrediction,
    float[] Clean, float[] Adversarial);

public sealed record Provenance(string AdvexVersion, string TorchSharpVersion, string LibTorchVersion, string Machine,
    int Threads, string Command, DateTime StartedUtc);
