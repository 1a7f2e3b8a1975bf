namespace Advex.Evaluation;

/// <summary>
/// How an evaluation's batch size was chosen (<see cref="BatchPlanner"/>), kept in <c>run.json</c> as provenance
/// (records never depend on it).
/// </summary>
/// <param name="BatchSize">the batch size used</param>
/// <param name="Requested">the batch size asked for, or null for <c>auto</c></param>
/// <param name="BudgetBytes">the peak resident memory the process may reach</param>
/// <param name="ResidentBytes">what the process held when the plan was made (model and data included)</param>
/// <param name="PerSampleBytes">the estimated peak memory one more sample of a batch adds</param>
/// <param name="BaseBytes">the estimated peak memory of a batch beyond its per-sample part</param>
/// <param name="Estimate">how the per-sample memory was found: <c>probe</c> (peak resident growth of forward and
/// backward passes) or <c>fallback</c> (a multiple of the input size, where the probe cannot read the peak)</param>
public sealed record BatchPlan(int BatchSize, int? Requested, long BudgetBytes, long ResidentBytes, long PerSampleBytes,
    long BaseBytes, string Estimate)
{
    /// <summary>The largest batch the budget (and the sample count, and <see cref="BatchPlanner.MaxAuto"/> for auto)
    /// allows; auto may take a smaller one that runs faster per sample.</summary>
    public int MemoryFit { get; init; }

    /// <summary>For auto: the per-sample step times measured to choose the batch (<see cref="BatchSpeed"/>), else null.</summary>
    public IReadOnlyList<BatchTiming>? Timings { get; init; }

    /// <summary>The estimated peak resident memory at <see cref="BatchSize"/>.</summary>
    public long PeakBytes => ResidentBytes + BaseBytes + BatchSize * PerSampleBytes;

    private string How => Requested switch
    {
        null when BatchSize < MemoryFit => $" (auto: the fastest per sample; {MemoryFit} would fit)",
        null => " (auto)",
        _ when Requested != BatchSize => $" (shrunk from {Requested} to fit)",
        _ => "",
    };

    /// <summary>One line for progress output.</summary>
    public string Describe() =>
        $"batch size {BatchSize}" + How +
        $": about {MemorySize.Format(PerSampleBytes)} per sample, peak about {MemorySize.Format(PeakBytes)} of a " +
        $"{MemorySize.Format(BudgetBytes)} budget";
}
