namespace Advex.Attacks;

using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The guard of AutoAttack's fast version (<see cref="AutoAttackVersion.Fast"/>): APGD-CE, then APGD-T on MALT
/// targets, and the remaining standard stages (FAB-T, then Square) only where a gradient-masking check fires.
/// Per sample, before any stage: an all-zero input gradient of the goal's cross-entropy (<c>zero_gradients</c>), an
/// output row in [0, 1] summing to 1 (<c>probabilities</c>), two forward passes that differ (<c>non_deterministic</c>).
/// Per run, the Square spot check (<see cref="SpotCheck"/>, <c>square_spot_check</c>): on up to
/// <see cref="SpotSamples"/> samples spread evenly over the evaluation, APGD-CE as in the run, then Square with
/// <see cref="SpotQueries"/> queries on the samples it left robust. Square is stronger than the white box on a sample
/// when it breaks it or ends at a lower margin z_y − max_{k≠y} z_k than APGD-CE's point; the check fires when it is
/// stronger on at least <see cref="SpotFraction"/> of them (and at least <see cref="SpotMinimum"/>): then every sample
/// still robust after APGD-T escalates. On a model without masking a gradient attack reaches far lower margins than
/// 1,000 black-box queries (LeNet fixture, first 300 test images: Square stronger on 4 of the 159 samples APGD-CE left
/// at ε 0.1, 0 of 42 at ε 0.15; the FGSM-RS smallcnn at ε 0.3, where Square alone breaks samples at 5,000 queries:
/// 18 of 74 of the first 100). APGD-T is not part of the check: it would cost ten times APGD-CE.
/// The verdict is the run's, not a batch's, so records do not depend on the batch size or the sharding; the
/// evaluation engine makes it once per process (<see cref="Attack.ForRun"/>); an attack run outside one decides on
/// the rows it is given. An escalated sample runs the standard FAB-T and then the standard Square.
/// The per-sample probe costs one gradient evaluation and two forward passes, counted in the first stage; the spot
/// check's work is done once per process and is in no sample's count.
/// </summary>
internal static class FastGuard
{
    /// <summary>How many samples, at most, the Square spot check looks at.</summary>
    public const int SpotSamples = 64;

    /// <summary>Square's query budget in the spot check (a fifth of the standard 5,000).</summary>
    public const int SpotQueries = 1000;

    /// <summary>The share of still-robust spot-check samples on which a stronger Square fires the check.</summary>
    public const double SpotFraction = 0.1;

    /// <summary>The fewest samples with a stronger Square that fire the check.</summary>
    public const int SpotMinimum = 2;

    /// <summary>Dataset positions 0 … count−1 of the spot check: up to <see cref="SpotSamples"/>, spread evenly
    /// (data files are often sorted by class).</summary>
    public static long[] SpotRows(long count)
    {
        var k = Math.Min(count, SpotSamples);
        return [.. Enumerable.Range(0, (int)k).Select(j => j * count / k)];
    }

    /// <summary>The spot check on the given samples: <paramref name="apgdCe"/> (run through
    /// <paramref name="context"/> as the evaluation runs it), then Square with <paramref name="queries"/> queries
    /// (<see cref="SpotQueries"/>, fewer when the standard Square has fewer) on the rows it left robust.</summary>
    public static SpotCheck Check(Attack apgdCe, int queries, Classifier model, Tensor x, AttackGoal goal,
        AttackContext context)
    {
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var robust = goal.Succeeded(model.Predict(x)).logical_not().nonzero().squeeze(1);
        if (robust.numel() == 0) return new SpotCheck(0, 0, 0);
        var ce = apgdCe.Run(model, x.index_select(0, robust), goal.Select(robust), context.Select(robust));
        var left = ce.Success.logical_not().nonzero().squeeze(1);
        if (left.numel() == 0) return new SpotCheck(0, 0, 0);
        var rows = robust.index_select(0, left);
        var g = goal.Select(rows);
        var square = new Square(apgdCe.Eps, queries, norm: apgdCe.Norm)
            .Run(model, x.index_select(0, rows), g, context.Stream("square-spot").Select(rows));
        using var _ = no_grad();
        var white = Losses.Margin(model.Logits(ce.Adversarial.index_select(0, left)), g.Classes, g.IsTargeted);
        var black = Losses.Margin(model.Logits(square.Adversarial), g.Classes, g.IsTargeted);
        var stronger = (int)(square.Success | black.lt(white)).sum().item<long>();
        return new SpotCheck((int)rows.numel(), stronger, (int)square.Success.sum().item<long>());
    }

    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, SpotCheck spot,
        Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var n = (int)x.shape[0];
        var reasons = new List<string>[n];
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
            if (escalated is null)
            {
                var still = robust.data<bool>().ToArray();
                for (var i = 0; i < n; i++)
                {
                    if (!still[i]) continue;
                    var why = spot.Fired ? reasons[i].Append("square_spot_check") : reasons[i];
                    if (why.Any()) escalation[i] = string.Join("+", why);
                }
                escalated = tensor(escalation.Select(e => e is not null).ToArray()).DetachFromDisposeScope();
            }
            return escalated.alias();
        }
        var (adv, trace) = Cascade.Run(stages, [.. stages.Select(s => s.Name)], model, x, goal, context, Eligible);
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

/// <summary>The verdict of the fast version's Square spot check (<see cref="FastGuard"/>): of
/// <paramref name="Checked"/> samples still robust after APGD-CE, on how many Square (1,000 queries) was stronger
/// (broke it, or ended at a lower margin than APGD-CE's point) and how many of those it broke.</summary>
public sealed record SpotCheck(int Checked, int Stronger, int Broke)
{
    public bool Fired => Stronger >= Math.Max(FastGuard.SpotMinimum, (int)Math.Ceiling(FastGuard.SpotFraction * Checked));

    public override string ToString() =>
        $"Square stronger on {Stronger} of {Checked} still-robust samples (broke {Broke}): {(Fired ? "fired" : "quiet")}";
}
