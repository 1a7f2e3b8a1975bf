namespace Advex.Evaluation;

/// <summary>
/// AutoAttack's check that the black box beats the white box (Croce &amp; Hein 2020, <c>checks.py</c>): Square reads
/// only the model's scores, so when it breaks samples that every gradient attack left robust, the gradients are
/// misleading (masked, obfuscated) and the white-box figures overstate robustness. As in AutoAttack a loss of up to
/// 0.2 points of robust accuracy is tolerated.
/// </summary>
public static class GradientMasking
{
    public const double Tolerance = 0.002;

    /// <summary>Null when no run involves Square next to a white-box attack.</summary>
    public static SanityCheck? SquareBeatsWhiteBox(List<RunResult> runs, List<SampleRecord[]> records)
    {
        var found = new List<string>();
        var compared = false;
        // cascades: the samples broken by the Square stage are exactly those the earlier stages left robust
        foreach (var run in runs.Where(r => r.Stages is { Count: > 1 }))
        {
            var stages = run.Stages!;
            var at = stages.FindIndex(s => s.Attack == "square");
            if (at <= 0) continue;
            compared = true;
            var drop = stages[at - 1].RobustAccuracy - stages[at].RobustAccuracy;
            if (drop > Tolerance)
                found.Add($"{RobustnessEvaluator.Key(run)}: square lowered robust accuracy from {stages[at - 1].RobustAccuracy:P2} " +
                          $"to {stages[at].RobustAccuracy:P2} after {string.Join(", ", stages.Take(at).Select(s => s.Attack))}");
        }
        // independent runs: samples broken by square that every white-box run at the same ε and norm left robust
        for (var q = 0; q < runs.Count; q++)
        {
            if (runs[q].Attack != "square") continue;
            var white = Enumerable.Range(0, runs.Count).Where(i => runs[i].Attack != "square" && runs[i].Eps == runs[q].Eps &&
                runs[i].Norm == runs[q].Norm && runs[i].Targeted == runs[q].Targeted).ToList();
            if (white.Count == 0) continue;
            compared = true;
            var n = records[q].Length;
            var only = Enumerable.Range(0, n).Count(s => !records[q][s].Robust && white.All(i => records[i][s].Robust));
            if (only > Tolerance * n)
                found.Add($"{RobustnessEvaluator.Key(runs[q])}: square broke {only} of {n} samples that " +
                          $"{string.Join(", ", white.Select(i => runs[i].Attack).Distinct())} left robust");
        }
        if (!compared) return null;
        return new SanityCheck("square_not_stronger_than_white_box", found.Count == 0,
            found.Count == 0
                ? "the black-box Square attack breaks no more than 0.2% of samples beyond the white-box attacks"
                : string.Join("; ", found) + " (gradient masking? the white-box figures overstate robustness; run an adaptive attack)");
    }
}
