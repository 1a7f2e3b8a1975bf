namespace Advex.Evaluation;

/// <summary>
/// The checks of Carlini et al. (2019) and AutoAttack that expose a too-weak evaluation (DESIGN §9). A failing check
/// is a warning in the report, never an error and never hidden.
/// </summary>
public static class SanityChecks
{
    public const double EpsTolerance = 1e-5;

    public static List<SanityCheck> Run(RunConfig config, double cleanAccuracy, List<RunResult> runs,
        List<SampleRecord[]> records)
    {
        var checks = new List<SanityCheck>
        {
            WithinEps(runs),
            InsideBox(config.Model, runs),
            NoNaN(runs),
        };
        if (runs.Any(r => r.Eps == 0 && !r.Targeted)) checks.Add(EpsZero(cleanAccuracy, runs));
        checks.Add(MonotoneInEps(runs));
        if (runs.Any(r => r.Attack == "fgsm") && runs.Any(r => r.Attack != "fgsm" && r.Eps is not null))
            checks.Add(IterativeAtLeastFgsm(runs));
        if (MoreStepsDoNotHelp(runs, records) is { } more) checks.Add(more);
        if (Reproducible(config, runs, records) is { } repeat) checks.Add(repeat);
        if (GradientMasking.SquareBeatsWhiteBox(runs, records) is { } square) checks.Add(square);
        checks.AddRange(ModelChecks(records[0]));
        return checks;
    }

    private static SanityCheck WithinEps(List<RunResult> runs)
    {
        var bad = new List<string>();
        foreach (var run in runs)
        {
            if (run.Eps is not { } eps) continue;
            var max = run.Norm == "linf" ? run.MaxLinf : run.MaxL2;
            if (max > eps + EpsTolerance) bad.Add($"{RobustnessEvaluator.Key(run)}: max {run.Norm} {max:g6}");
        }
        return new SanityCheck("perturbation_within_eps", bad.Count == 0,
            bad.Count == 0 ? $"every bounded perturbation is within ε + {EpsTolerance}" : string.Join("; ", bad));
    }

    private static SanityCheck InsideBox(ModelConfig model, List<RunResult> runs)
    {
        var bad = runs.Where(r => r.MinValue < model.Lower - 1e-6 || r.MaxValue > model.Upper + 1e-6)
            .Select(r => $"{RobustnessEvaluator.Key(r)}: [{r.MinValue:g6}, {r.MaxValue:g6}]").ToList();
        return new SanityCheck("inside_box", bad.Count == 0,
            bad.Count == 0 ? $"every adversarial input lies in [{model.Lower}, {model.Upper}]" : string.Join("; ", bad));
    }

    private static SanityCheck NoNaN(List<RunResult> runs)
    {
        var bad = runs.Where(r => r.NonFinite > 0).Select(r => $"{RobustnessEvaluator.Key(r)}: {r.NonFinite} values").ToList();
        return new SanityCheck("no_nan", bad.Count == 0, bad.Count == 0 ? "no NaN or infinity in any output" : string.Join("; ", bad));
    }

    private static SanityCheck EpsZero(double clean, List<RunResult> runs)
    {
        var bad = runs.Where(r => r.Eps == 0 && !r.Targeted && Math.Abs(r.RobustAccuracy - clean) > 1e-12)
            .Select(r => $"{r.Attack}: {r.RobustAccuracy:P2} vs clean {clean:P2}").ToList();
        return new SanityCheck("eps_zero_unchanged", bad.Count == 0,
            bad.Count == 0 ? "ε = 0 leaves accuracy equal to clean accuracy" : string.Join("; ", bad));
    }

    private static SanityCheck MonotoneInEps(List<RunResult> runs)
    {
        var bad = new List<string>();
        foreach (var g in runs.Where(r => r.Eps is not null).GroupBy(r => (r.Attack, r.Norm, r.Targeted)))
        {
            var sorted = g.OrderBy(r => r.Eps).ToList();
            for (var i = 1; i < sorted.Count; i++)
                if (sorted[i].RobustAccuracy > sorted[i - 1].RobustAccuracy)
                    bad.Add($"{g.Key.Attack}: {sorted[i - 1].RobustAccuracy:P2} at ε={sorted[i - 1].Eps} rises to " +
                            $"{sorted[i].RobustAccuracy:P2} at ε={sorted[i].Eps}");
        }
        return new SanityCheck("accuracy_non_increasing_in_eps", bad.Count == 0,
            bad.Count == 0 ? "robust accuracy never rises with ε" : string.Join("; ", bad) + " (gradient masking?)");
    }

    private static SanityCheck IterativeAtLeastFgsm(List<RunResult> runs)
    {
        var bad = new List<string>();
        foreach (var fgsm in runs.Where(r => r.Attack == "fgsm"))
        {
            foreach (var other in runs.Where(r => r.Attack != "fgsm" && r.Eps == fgsm.Eps && r.Norm == "linf"
                                                  && r.Targeted == fgsm.Targeted))
                if (other.RobustAccuracy > fgsm.RobustAccuracy + 1e-9)
                    bad.Add($"{other.Attack} leaves {other.RobustAccuracy:P2} > FGSM's {fgsm.RobustAccuracy:P2} at ε={fgsm.Eps}");
        }
        return new SanityCheck("iterative_at_least_fgsm", bad.Count == 0,
            bad.Count == 0 ? "every attack is at least as strong as FGSM at the same ε" : string.Join("; ", bad));
    }

    /// <summary>
    /// Each iterative attack (at its largest ε) was rerun with twice the steps on the first samples
    /// (<see cref="EvalOptions.MoreStepsSamples"/>; records carry the outcome): if that lowers robust accuracy by more
    /// than one point, the evaluation had not converged.
    /// </summary>
    private static SanityCheck? MoreStepsDoNotHelp(List<RunResult> runs, List<SampleRecord[]> records)
    {
        var bad = new List<string>();
        var any = false;
        for (var r = 0; r < runs.Count; r++)
        {
            var rows = records[r].Where(s => s.RobustMoreSteps is not null).ToArray();
            if (rows.Length == 0) continue;
            any = true;
            var robustNow = rows.Count(s => s.Robust) / (double)rows.Length;
            var robustMore = rows.Count(s => s.RobustMoreSteps == true) / (double)rows.Length;
            if (robustMore < robustNow - 0.01)
                bad.Add($"{RobustnessEvaluator.Key(runs[r])}: {robustNow:P1} → {robustMore:P1} with 2× steps on {rows.Length} samples");
        }
        if (!any) return null;
        return new SanityCheck("more_steps_do_not_help", bad.Count == 0,
            bad.Count == 0 ? "twice the steps does not lower robust accuracy (attacks converged)"
                : string.Join("; ", bad) + " (not converged: increase the attack's steps)");
    }

    /// <summary>Randomized attacks (<see cref="Advex.Attacks.Attack.IsRandomized"/>) were repeated on their first
    /// samples alone (<see cref="EvalOptions.RepeatSamples"/>): each row must give the same result, or its random
    /// numbers depended on the batch (results would then change with batch size or sharding).</summary>
    private static SanityCheck? Reproducible(RunConfig config, List<RunResult> runs, List<SampleRecord[]> records)
    {
        var randomized = Enumerable.Range(0, runs.Count).Where(r => config.Runs[r].Randomized).ToList();
        if (randomized.Count == 0) return null;
        var bad = new List<string>();
        var checkedRows = 0;
        foreach (var r in randomized)
        {
            var rows = records[r].Where(s => s.Reproducible is not null).ToArray();
            checkedRows += rows.Length;
            var differ = rows.Count(s => s.Reproducible == false);
            if (differ > 0) bad.Add($"{RobustnessEvaluator.Key(runs[r])}: {differ} of {rows.Length} samples differ when repeated alone");
        }
        return new SanityCheck("randomized_attacks_reproducible", bad.Count == 0,
            bad.Count == 0
                ? $"{string.Join(", ", randomized.Select(r => RobustnessEvaluator.Key(runs[r])))} (randomized, seed {config.Seed}) " +
                  $"reproduce every one of {checkedRows} repeated samples from their (seed, index) keys"
                : string.Join("; ", bad));
    }

    /// <summary>Model-level checks over every evaluated sample: zero gradients, probabilities instead of logits,
    /// determinism (from the clean pass of each batch, carried by the records).</summary>
    private static IEnumerable<SanityCheck> ModelChecks(SampleRecord[] samples)
    {
        var withGradients = samples.Where(s => s.ZeroGradient is not null).ToArray();
        var zero = withGradients.Length == 0 ? 0 : withGradients.Count(s => s.ZeroGradient == true) / (double)withGradients.Length;
        if (withGradients.Length > 0) // a forward-only backend (onnxruntime) gives no gradient: no such check
            yield return new SanityCheck("zero_gradients", zero == 0,
                zero == 0 ? "every sample has a non-zero input gradient"
                    : $"{zero:P1} of samples have an all-zero input gradient (gradient masking or saturated outputs: gradient attacks cannot work there)");

        var looksLikeProbabilities = samples.All(s => s.ProbabilityLike);
        yield return new SanityCheck("logits_not_probabilities", !looksLikeProbabilities,
            looksLikeProbabilities
                ? "model outputs rows in [0,1] that sum to 1: probabilities, not logits; cross-entropy on them is weak (export the logits)"
                : "model outputs look like logits");

        var same = samples.All(s => s.Deterministic);
        yield return new SanityCheck("deterministic_model", same,
            same ? "two forward passes give identical logits"
                : "two forward passes differ: the model is randomized (dropout in train mode or a random defense); use EOT");
    }
}
