namespace Advex.Cli;

using System.Globalization;
using Advex.Evaluation;
using Spectre.Console;

/// <summary>How <c>eval</c> and <c>merge</c> print a report: the robustness table and the summary lines.</summary>
public static class EvalTable
{
    /// <summary>Below this terminal width the table keeps the columns a reader needs first (fits 80 columns).</summary>
    public const int WideColumns = 120;

    public static Table Of(EvalReport report, int width = WideColumns)
    {
        if (width < WideColumns) return Narrow(report);
        var table = new Table().AddColumns("attack", "norm", "ε", "robust acc", "success",
            "mean L2", "median L2", "mean L∞", "grads/img", "seconds", "img/s");
        foreach (var r in report.Runs)
            table.AddRow(r.Attack, r.Norm, Eps(r.Eps), $"{r.RobustAccuracy:P2}", $"{r.AttackSuccessRate:P2}", $"{r.MeanL2:F3}",
                $"{r.MedianL2:F3}", $"{r.MeanLinf:F3}", Gradients(r), $"{r.Seconds:F2}", Rate(r));
        return table;
    }

    /// <summary>Seven columns in a light border: attack, ε with its norm, robust accuracy, success rate, mean L2,
    /// gradient evaluations per image and seconds (the JSON holds the rest).</summary>
    private static Table Narrow(EvalReport report)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("attack", "ε", "robust", "success", "mean L2", "grads/img", "s");
        foreach (var r in report.Runs)
            table.AddRow(r.Attack, r.Eps is null ? r.Norm : $"{Eps(r.Eps)} {Norm(r.Norm)}", $"{r.RobustAccuracy:P1}",
                $"{r.AttackSuccessRate:P1}", $"{r.MeanL2:F2}", Gradients(r), $"{r.Seconds:F1}");
        return table;
    }

    /// <summary>ε as given (0.0157 stays 0.0157).</summary>
    public static string Eps(double? eps) => eps?.ToString("0.######", CultureInfo.InvariantCulture) ?? "-";

    private static string Norm(string norm) => norm switch { "linf" => "L∞", "l2" => "L2", "l1" => "L1", _ => norm };

    /// <summary>Gradient evaluations per image; "shared" for a single-step attack that used the batch's clean
    /// gradient computed for an earlier run (an FGSM ε sweep computes it once).</summary>
    private static string Gradients(RunResult r) =>
        r.GradientsPerSample == 0 && r.QueriesPerSample == 0 && r.Eps > 0 && r.Attack is "fgsm" or "fgm"
            ? "shared" : r.GradientsPerSample.ToString("F1", CultureInfo.InvariantCulture);

    private static string Rate(RunResult r) => r.ImagesPerSecond >= 10
        ? r.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture)
        : r.ImagesPerSecond.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Cascades (AutoAttack) as the original logs them: clean accuracy, then robust accuracy after each
    /// stage with its time; minimisation attacks at each ε; the worst case over attacks.</summary>
    public static IEnumerable<string> Lines(EvalReport report)
    {
        foreach (var r in report.Runs.Where(r => r.Stages is { Count: > 0 }))
        {
            yield return $"{r.Attack} ε={Eps(r.Eps)} ({Norm(r.Norm)}) on {r.Count} samples: clean accuracy {report.CleanAccuracy:P2}";
            foreach (var s in r.Stages!)
                yield return $"{r.Attack}: robust accuracy after {s.Attack}: {s.RobustAccuracy:P2} " +
                             $"({s.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s, {s.GradientEvaluationsPerImage:F1} gradients and " +
                             $"{s.ForwardPassesPerImage:F1} forward passes per image)";
        }
        foreach (var r in report.Runs.Where(r => r.RobustAccuracyAtEps is not null))
            yield return $"{r.Attack} ({r.Norm}, minimisation): median {r.Norm} norm {r.MedianNorm:0.####} over " +
                         $"{r.AttackSuccessRate:P2} broken, {r.QueriesPerSample:F0} queries/img; robust accuracy at " +
                         string.Join(", ", r.RobustAccuracyAtEps!.Select(kv => $"ε={kv.Key}: {kv.Value:P2}"));
        foreach (var r in report.Runs.Where(r => r.Escalation is not null))
            yield return EscalationLine(r);
        if (report.Runs.Select(r => r.Attack).Distinct().Count() > 1)
            foreach (var w in report.WorstCase)
                yield return $"worst case over {string.Join("+", w.Attacks)} at ε={w.Eps?.ToString(CultureInfo.InvariantCulture) ?? "-"} ({w.Norm}): robust accuracy {w.RobustAccuracy:P2}";
    }

    /// <summary>Whether a guarded AutoAttack version escalated to the remaining standard stages, and why.</summary>
    private static string EscalationLine(RunResult r)
    {
        var e = r.Escalation!;
        var at = $"{r.Attack} {e.Version} at ε={r.Eps?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-"}";
        return e.Escalated
            ? $"{at}: ESCALATED {e.EscalatedSamples} of {r.Count} samples to fab-t and square (gradient-masking checks fired: " +
              $"{string.Join(", ", e.Reasons.Select(kv => $"{kv.Key} on {kv.Value}"))})"
            : $"{at}: not escalated (no gradient-masking check fired; stages {string.Join(", ", e.Stages)})";
    }
}
