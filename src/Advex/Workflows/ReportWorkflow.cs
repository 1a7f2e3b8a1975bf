namespace Advex.Workflows;

using Advex.Reporting.Html;

/// <summary>What a report run produced: the path of <c>index.html</c>, how many inputs of each kind it holds and the
/// inputs it could not use.</summary>
public sealed record ReportOutcome(string Index, int Evaluations, int OptimizerComparisons, int Trainings, int Figures,
    IReadOnlyList<string> Unusable)
{
    /// <summary>Universal perturbations (<c>universal.json</c>) and adversarial patches (<c>patch.json</c>) shown.</summary>
    public int LearnedAttacks { get; init; }
}

/// <summary>
/// <c>advex report</c> as a library call: reads run folders (recursively) and result files, and writes the
/// self-contained static HTML report (<see cref="HtmlReport"/>: <c>index.html</c> + <c>img/</c>) into a folder.
/// </summary>
public static class ReportWorkflow
{
    public const string DefaultTitle = "Advex robustness report";

    public static ReportOutcome Run(IReadOnlyList<string> from, string outDir, string title = DefaultTitle)
    {
        if (from.Count == 0) throw AdvexException.About("from: give at least one run folder or JSON file", "from");
        var inputs = ReportInputs.Load(from, outDir);
        if (inputs.IsEmpty)
            throw AdvexException.About($"from: nothing to report: {string.Join("; ", inputs.Unusable)}", "from");
        var index = HtmlReport.Write(inputs, outDir, title, from);
        return new ReportOutcome(index, inputs.Evals.Count, inputs.Optimizers.Count, inputs.Trainings.Count, inputs.Images.Count,
            inputs.Unusable) { LearnedAttacks = inputs.Universals.Count + inputs.Patches.Count };
    }
}
