namespace Advex.Attacks;

using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The guard of AutoAttack's fast version (<see cref="AutoAttackVersion.Fast"/>): APGD-CE, then APGD-T on MALT
/// targets, and the remaining standard stages (FAB-T, then Square) only where a gradient-masking check fires.
/// The checks, per sample before any stage: an all-zero input gradient of the goal's cross-entropy
/// (<c>zero_gradients</c>), an output row in [0, 1] summing to 1 (<c>probabilities</c>), two forward passes that differ
/// (<c>non_deterministic</c>); and after the APGD stages Square with <see cref="SpotQueries"/> queries on the
/// still-robust samples of the spot-check subset, dataset indices divisible by <see cref="SpotEvery"/>: if it breaks
/// any of them, the black box beat the white box (<c>square_spot_check</c>) and every still-robust sample of the batch
/// escalates (so a batch's escalation, unlike every stage's result, depends on which spot-check samples ride in it).
/// An escalated sample runs the standard FAB-T and then the standard Square.
/// The probe costs one gradient evaluation and two forward passes per attacked sample, counted in the first stage.
/// </summary>
internal static class FastGuard
{
    /// <summary>One dataset index in this many is in the Square spot-check subset (5 %).</summary>
    public const int SpotEvery = 20;

    /// <summary>Square's query budget on the spot-check subset (a fifth of the standard 5,000: each query is a
    /// sequential step, whose fixed cost dominates on the few spot-check samples of a batch).</summary>
    public const int SpotQueries = 1000;

    public static readonly string[] StageNames = ["apgd-ce", "apgd-t", "square-spot", "fab-t", "square"];

    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, Classifier model, Tensor x,
        AttackGoal goal, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var n = (int)x.shape[0];
        var reasons = new List<string>[n];
        var spot = tensor(context.Indices.Select(i => i % SpotEvery == 0).ToArray());
        var escalation = new string?[n];
        Tensor? escalated = null;
        Tensor Eligible(int stage, Tensor robust, int[] brokenBy)
        {
            if (stage == 0)
            {
                var rows = robust.nonzero().squeeze(1);
                var found = rows.numel() == 0 ? [] : Probe(model, x.index_select(0, rows), goal.Select(rows), context.Select(rows));
                var at = rows.data<long>().ToArray();
                for (var i = 0; i < n; i++) reasons[i] = [];
                for (var k = 0; k < at.Length; k++) reasons[at[k]] = found[k];
            }
            if (stage < 2) return ones_like(robust);
            if (stage == 2) return spot.alias();
            if (escalated is null)
            {
                var fired = brokenBy.Contains(2);
                var still = robust.data<bool>().ToArray();
                for (var i = 0; i < n; i++)
                {
                    if (!still[i]) continue;
                    var why = fired ? reasons[i].Append("square_spot_check") : reasons[i];
                    if (why.Any()) escalation[i] = string.Join("+", why);
                }
                escalated = tensor(escalation.Select(e => e is not null).ToArray()).DetachFromDisposeScope();
            }
            return escalated.alias();
        }
        var (adv, trace) = Cascade.Run(stages, StageNames, model, x, goal, context, Eligible);
        escalated?.Dispose();
        return (adv.MoveToOuterDisposeScope(), trace with { Escalation = escalation });
    }

    /// <summary>Per sample, the model-level masking checks that fire on it (AutoAttack's <c>checks.py</c>, per
    /// sample): zero input gradient, probabilities instead of logits, a non-deterministic output.</summary>
    private static List<string>[] Probe(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var (g, _) = Gradients.Of(model, x, z => Losses.CrossEntropy(z, goal));
        context.CountGradients();
        Tensor first, second;
        using (no_grad())
        {
            first = model.Logits(x);
            second = model.Logits(x);
        }
        context.CountQueries(2);
        var zero = g.flatten(1).abs().amax([1]).eq(0).data<bool>().ToArray();
        var prob = (first.min(1).values.ge(0) & first.max(1).values.le(1) & (first.sum(1) - 1).abs().lt(1e-3))
            .data<bool>().ToArray();
        var differ = first.ne(second).any(1).data<bool>().ToArray();
        return Enumerable.Range(0, (int)x.shape[0]).Select(i =>
        {
            var why = new List<string>();
            if (zero[i]) why.Add("zero_gradients");
            if (prob[i]) why.Add("probabilities");
            if (differ[i]) why.Add("non_deterministic");
            return why;
        }).ToArray();
    }
}
