namespace Advex.Workflows;

/// <summary>
/// One progress event of a job: how far its current stage is (<see cref="Done"/> of <see cref="Total"/>, for a
/// progress bar) and, when there is one, a line worth showing (e.g. an epoch's figures).
/// </summary>
public sealed record JobProgress(string Stage, double Done, double Total, string? Line = null)
{
    /// <summary>Reports a line without moving the bar.</summary>
    public static void Say(IProgress<JobProgress>? progress, string stage, string line) =>
        progress?.Report(new JobProgress(stage, 0, 0, line));
}

/// <summary>An <see cref="IProgress{T}"/> that calls its handler synchronously, on the reporting thread
/// (<see cref="Progress{T}"/> posts to a synchronization context, which a console job does not want).</summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
