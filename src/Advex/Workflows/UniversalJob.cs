namespace Advex.Workflows;

using Advex.Attacks.Universal;

/// <summary>
/// What <see cref="UniversalWorkflow"/> does: learn one universal perturbation on training images, save it
/// (<c>perturbation.npy</c>, <c>perturbation.png</c>) and score it on held-out images through the evaluation engine
/// (<c>heldout/</c>, an evaluation folder of the <c>universal</c> attack), with the summary in <c>universal.json</c>.
/// </summary>
public sealed record UniversalJob
{
    public required UniversalOptions Options { get; init; }
    public int Seed { get; init; }
    /// <summary>Batch size of the held-out evaluation (the records do not depend on it).</summary>
    public int BatchSize { get; init; } = 256;
    public required string OutDir { get; init; }
    public string Command { get; init; } = "";
}
