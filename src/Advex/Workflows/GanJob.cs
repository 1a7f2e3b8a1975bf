namespace Advex.Workflows;

using Advex.Data;

using Advex.Generative;

/// <summary>
/// What <see cref="GanWorkflow"/> does (step 001 of the original notes): train a GAN on a dataset spec, with a sample grid per epoch,
/// curves, the MNIST Inception Score per epoch, checkpoints and resume, into <see cref="OutDir"/>.
/// </summary>
public sealed record GanJob
{
    /// <summary>Dataset spec: <c>mnist</c>, <c>fashion-mnist</c>, <c>idx:&lt;folder&gt;</c>.</summary>
    public string Data { get; init; } = "mnist";

    public string? DataDir { get; init; }

    /// <summary>How the data is read: image transforms of an <c>images:</c> folder, the CIFAR-100 label.</summary>
    public DataOptions DataOptions { get; init; } = DataOptions.None;

    /// <summary>Train on the first N training images only.</summary>
    public int? Limit { get; init; }

    public GanOptions Options { get; init; } = new();

    public required string OutDir { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="OutDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>The classifier of the Inception Score (null: a LeNet trained once on the data and cached in
    /// <c>OutDir/scorer</c>).</summary>
    public string? Scorer { get; init; }

    /// <summary>Also write the summary to this file.</summary>
    public string? Json { get; init; }

    public GanJob Validate()
    {
        Options.Validate();
        return this;
    }
}
