namespace Advex.Examples;

using Advex.Workflows;

/// <summary>`advex report --from runs --out report` as a library call: the static HTML report of every evaluation,
/// optimizer comparison, training run and figure found in the given folders.</summary>
public static class ReportExample
{
    public static ReportOutcome Run(IReadOnlyList<string> runFolders, string outDir)
    {
        var report = ReportWorkflow.Run(runFolders, outDir, "My robustness report");
        Console.WriteLine($"{report.Evaluations} evaluation(s), {report.Trainings} training run(s): open {report.Index}");
        return report;
    }
}
