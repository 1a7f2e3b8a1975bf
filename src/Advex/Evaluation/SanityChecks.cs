namespace Advex.Evaluation;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The checks of Carlini et al. (2019) and AutoAttack that expose a too-weak evaluation (DESIGN §9). A failing check
/// is a warning in the report, never an error and never hidden.
/// </summary>
public static class SanityChecks
{
    public const double EpsTolerance = 1e-5;

    public static List<SanityCheck> Run(Classifier model, Dataset data, EvalOptions options, double cleanAccuracy,
        List<RunResult> runs, List<RobustnessEvaluator.RunSamples> samples)
    {
        var checks = new List<SanityCheck>
        {
            WithinEps(runs, samples),
            InsideBox(model, runs),
            NoNaN(runs),
        };
        if (runs.Any(r => r.Eps == 0 && !r.Targeted)) checks.Add(EpsZero(cleanAccuracy, runs));
        checks.Add(MonotoneInEps(runs));
        if (runs.Any(r => r.Attack == "fgsm") && runs.Any(r => r.Attack != "fgsm" && r.Eps is not null))
            checks.Add(IterativeAtLeastFgsm(runs));
        if (MoreStepsDoNotHelp(model, data, options, runs, samples) is { } more) checks.Add(more);
        if (GradientMasking.SquareBeatsWhiteBox(runs, samples) is { } square) checks.Add(square);
        checks.AddRange(ModelChecks(model, data, options));
        return checks;
    }

    private static SanityCheck WithinEps(List<RunResult> runs, List<RobustnessEvaluator.RunSamples> samples)
    {
        var bad = new List<string>();
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Eps is not { } eps) continue;
            var norms = runs[i].Norm == "linf" ? samples[i].Linf : samples[i].L2;
            var max = norms.Max();
            if (max > eps + EpsTolerance) bad.Add($"{RobustnessEvaluator.Key(runs[i])}: max {runs[i].Norm} {max:g6}");
        }
        return new SanityCheck("perturbation_within_eps", bad.Count == 0,
            bad.Count == 0 ? $"every bounded perturbation is within ε + {EpsTolerance}" : string.Join("; ", bad));
    }

    private static SanityCheck InsideBox(Classifier model, List<RunResult> runs)
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
    /// Reruns each iterative attack (at its largest ε) with twice the steps on the first samples: if that lowers
    /// robust accuracy by more than one point, the evaluation had not converged.
    /// </summary>
    private static SanityCheck? MoreStepsDoNotHelp(Classifier model, Dataset data, EvalOptions options,
        List<RunResult> runs, List<RobustnessEvaluator.RunSamples> samples)
    {
        const int subset = 256;
        var picked = runs.Select((r, i) => (r, i))
            .Where(t => t.r.Eps is not null && samples[t.i].Attack.WithMoreSteps() is not null)
            .GroupBy(t => t.r.Attack).Select(g => g.OrderByDescending(t => t.r.Eps).First()).ToList();
        if (picked.Count == 0) return null;
        var bad = new List<string>();
        var n = Math.Min(subset, data.Count);
        foreach (var (run, i) in picked)
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Slice(0, n);
            using var rng = new Generator((ulong)options.Seed + 1);
            var goal = options.Target.Goal(model, x, y, rng);
            var more = samples[i].Attack.WithMoreSteps()!.Run(model, x, goal, rng);
            var robustMore = more.Predictions.eq(y).sum().item<long>() / (double)n;
            var robustNow = samples[i].RobustCorrect.Take(n).Count(b => b) / (double)n;
            if (robustMore < robustNow - 0.01)
                bad.Add($"{RobustnessEvaluator.Key(run)}: {robustNow:P1} → {robustMore:P1} with 2× steps on {n} samples");
        }
        return new SanityCheck("more_steps_do_not_help", bad.Count == 0,
            bad.Count == 0 ? "twice the steps does not lower robust accuracy (attacks converged)"
                : string.Join("; ", bad) + " (not converged: increase --steps)");
    }

    /// <summary>Model-level checks on the first batch: zero gradients, probabilities instead of logits, determinism.</summary>
    private static IEnumerable<SanityCheck> ModelChecks(Classifier model, Dataset data, EvalOptions options)
    {
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var (x, y) = data.Slice(0, Math.Min(options.BatchSize, data.Count));
        var (g, logits) = Gradients.Of(model, x, l => Losses.CrossEntropy(l, new Untargeted(y)));
        var zero = LpBall.LinfNorms(g).eq(0).to_type(ScalarType.Float32).mean().item<float>();
        yield return new SanityCheck("zero_gradients", zero == 0,
            zero == 0 ? "every sample has a non-zero input gradient"
                : $"{zero:P1} of samples have an all-zero input gradient (gradient masking or saturated outputs: gradient attacks cannot work there)");

        var rowSums = logits.sum(1);
        var looksLikeProbabilities = logits.min().item<float>() >= 0 && logits.max().item<float>() <= 1 &&
                                     (rowSums - 1).abs().max().item<float>() < 1e-3;
        yield return new SanityCheck("logits_not_probabilities", !looksLikeProbabilities,
            looksLikeProbabilities
                ? "model outputs rows in [0,1] that sum to 1: probabilities, not logits; cross-entropy on them is weak (export the logits)"
                : "model outputs look like logits");

        using var again = no_grad();
        var second = model.Logits(x);
        var same = second.eq(logits).all().item<bool>();
        yield return new SanityCheck("deterministic_model", same,
            same ? "two forward passes give identical logits"
                : "two forward passes differ: the model is randomized (dropout in train mode or a random defense); use EOT");
    }
}
