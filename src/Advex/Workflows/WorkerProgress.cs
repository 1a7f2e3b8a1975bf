namespace Advex.Workflows;

using System.Globalization;

/// <summary>
/// How a <c>--workers</c> child tells its parent how far it is: with <see cref="Variable"/> set to 1 it writes its
/// bar events to standard output as lines <c>advex-progress DONE TOTAL STAGE</c>, at most every
/// <see cref="Interval"/> (and whenever a stage ends), which the parent (<see cref="EvalWorkers"/>) reads from the
/// child's pipe and combines into one bar.
/// </summary>
public static class WorkerProgress
{
    public const string Variable = "ADVEX_WORKER_PROGRESS";
    private const string Prefix = "advex-progress ";

    /// <summary>The shortest time between two lines of one child.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether this process is a worker asked for progress lines.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    public static string Format(JobProgress p) =>
        $"{Prefix}{p.Done.ToString("R", CultureInfo.InvariantCulture)} {p.Total.ToString("R", CultureInfo.InvariantCulture)} {p.Stage}";

    /// <summary>The bar event of a progress line; null for any other line.</summary>
    public static JobProgress? Parse(string? line)
    {
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = line[Prefix.Length..].Split(' ', 3);
        return parts.Length >= 2
               && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var done)
               && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var total) && total > 0
            ? new JobProgress(parts.Length == 3 ? parts[2] : "", done, total)
            : null;
    }
}
