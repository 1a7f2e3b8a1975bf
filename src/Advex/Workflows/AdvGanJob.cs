namespace Advex.Workflows;

using Advex.Data;

using Advex.Generative;

/// <summary>
/// What <see cref="AdvGanWorkflow"/> does (step 000 of the original notes): train an AdvGAN generator against a frozen target model on a
/// dataset spec, with curves and a sample grid per epoch, into <see cref="OutDir"/> (the folder an
/// <c>advgan</c> attack loads).
/// </summary>
public sealed record AdvGanJob
{
    /// <summary>Where the target model came from (kept in the manifest and the summary).</summary>
    public required string Target { get; init; }

    /// <summary>Dataset spec: <c>mnist</c>, <c>fashion-mnist</c>, <c>idx:&lt;folder&gt;</c>.</summary>
    public string Data { get; init; } = "mnist";

    public string? DataDir { get; init; }

    /// <summary>How the data is read: image transforms of an <c>images:</c> folder, the CIFAR-100 label.</summary>
    public DataOptions DataOptions { get; init; } = DataOptions.None;

    /// <summary>Train on the first N training images only.</summary>
    public int? Limit { get; init; }

    public AdvGanOptions Options { get; init; } = new();

    public required string OutDir { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="OutDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Also write the summary to this file.</summary>
    public string? Json { get; init; }

    /// <summary>Held-out test images scored after every epoch.</summary>
    public int ValidationCount { get; init; } = 1000;

    public AdvGanJob Validate(int classes = int.MaxValue)
    {
        Options.Validate(classes);
        return this;
    }
}
