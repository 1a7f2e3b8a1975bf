namespace Advex.Workflows;

using Advex.Data;

using Advex.Defenses;
using Advex.Training;

/// <summary>
/// What <see cref="TrainWorkflow"/> does: train a native classifier on a dataset spec (DESIGN §6), optionally
/// adversarially, and write the model, checkpoints, curves and <c>training.json</c> into <see cref="OutDir"/>.
/// </summary>
public sealed record TrainJob
{
    /// <summary>Dataset spec: <c>mnist</c>, <c>fashion-mnist</c>, <c>idx:&lt;folder&gt;</c>.</summary>
    public string Data { get; init; } = "mnist";

    public string? DataDir { get; init; }

    /// <summary>How the data is read: image transforms of an <c>images:</c> folder, the CIFAR-100 label.</summary>
    public DataOptions DataOptions { get; init; } = DataOptions.None;

    /// <summary>Train on the first N training images only.</summary>
    public int? Limit { get; init; }

    /// <summary>The class count, required for data that does not name its classes.</summary>
    public int? Classes { get; init; }

    public TrainOptions Options { get; init; } = new();

    /// <summary>Adversarial training (hardening), or null for clean training.</summary>
    public AdversarialTraining? Adversarial { get; init; }

    public required string OutDir { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="OutDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Also write the summary to this file.</summary>
    public string? Json { get; init; }
}
