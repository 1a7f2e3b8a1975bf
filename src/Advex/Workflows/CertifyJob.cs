namespace Advex.Workflows;

using Advex.Evaluation;
using Advex.Evaluation.Smoothing;

/// <summary>
/// What <see cref="CertifyWorkflow"/> does: CERTIFY (randomized smoothing) on every sample of a shard of the data,
/// with the records in an optional certification folder (<see cref="OutDir"/>, resumable), the report as JSON and the
/// figure (certified accuracy against radius) in an optional report folder.
/// </summary>
public sealed record CertifyJob
{
    public required SmoothingOptions Smoothing { get; init; }
    public int Seed { get; init; }
    /// <summary>Radii reported besides 0, 0.25, 0.5, 0.75 and 1.</summary>
    public double[] Radii { get; init; } = [];
    public Shard Shard { get; init; } = Shard.All;
    public string? Json { get; init; }
    public string? ReportDir { get; init; }
    public string? OutDir { get; init; }
    public bool Resume { get; init; }
    public string Command { get; init; } = "";

    public CertifyJob Validate()
    {
        foreach (var r in Radii)
            if (!double.IsFinite(r) || r < 0) throw AdvexException.About($"radii must be finite numbers >= 0 (got {r})", "radii");
        if (Resume && OutDir is null) throw AdvexException.About("resume needs out, the certification folder to continue", "resume", "out");
        return this;
    }
}
