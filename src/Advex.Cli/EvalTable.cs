namespace Advex.Cli;

using System.Globalization;
using Advex.Evaluation;
using Spectre.Console;

/// <summary>How <c>eval</c> and <c>merge</c> print a report: the robustness table and the summary lines.</summary>
public static class EvalTable
{
    public static Table Of(EvalReport report)
    {
        var table = new Table().Title("Robustness").AddColumns("attack", "norm", "ε", "robust acc", "success",
            "mean L2", "median L2", "mean L∞", "grads/img", "seconds", "img/s");
        foreach (var r in report.Runs)
            table.AddRow(r.Attack, r.Norm, r.Eps?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-",
                $"{r.RobustAccuracy:P2}", $"{r.AttackSuccessRate:P2}", $"{r.MeanL2:F3}", $"{r.MedianL2:F3}", $"{r.MeanLinf:F3}",
                $"{r.GradientsPerSample:F1}", $"{r.Seconds:F2}", $"{r.ImagesPerSecond:F0}");
        return table;
    }

    /// <summary>Minimisation attacks at each ε and the worst case over attacks.</summary>
    public static IEnumerable<string> Lines(EvalReport report)
    {
        foreach (var r in report.Runs.Where(r => r.RobustAccuracyAtEps is not null))
            yield return $"{r.Attack} ({r.Norm}, minimisation): median {r.Norm} norm {r.MedianNorm:0.####} over " +
                         $"{r.AttackSuccessRate:P2} broken, {r.QueriesPerSample:F0} queries/img; robust accuracy at " +
                         string.Join(", ", r.RobustAccuracyAtEps!.Select(kv => $"ε={kv.Key}: {kv.Value:P2}"));
        if (report.Runs.Select(r => r.Attack).Distinct().Count() > 1)
            foreach (var w in report.WorstCase)
                yield return $"worst case over {string.Join("+", w.Attacks)} at ε={w.Eps?.ToString(CultureInfo.InvariantCulture) ?? "-"} ({w.Norm}): robust accuracy {w.RobustAccuracy:P2}";
    }
}
