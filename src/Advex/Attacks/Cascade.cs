namespace Advex.Attacks;

using System.Diagnostics;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// AutoAttack's evaluation rule (Croce &amp; Hein 2020, <c>autoattack.py</c>): a per-sample "still robust" mask over
/// an ordered list of attacks. Each stage runs (through <c>Attack.Run</c>, so inside the ε-ball and the box,
/// success from the real prediction) only on the samples no earlier stage has broken; a broken sample keeps that
/// stage's adversarial, the others are returned unchanged. Samples that meet the goal before any attack are never
/// attacked. A guarded cascade (<see cref="Eligible"/>) may further restrict which still-robust rows a stage attacks.
/// </summary>
public static class Cascade
{
    /// <summary>Which rows stage s may attack, given the still-robust mask [n] (bool) and which stage broke each row
    /// so far (−1: none); returns a bool mask [n] (a subset of the robust rows is taken). Work it spends (gradients,
    /// queries) is counted in stage s.</summary>
    public delegate Tensor Eligible(int stage, Tensor robust, int[] brokenBy);

    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, Classifier model, Tensor x,
        AttackGoal goal, AttackContext context) => Run(stages, [.. stages.Select(a => a.Name)], model, x, goal, context);

    /// <summary>The cascade with stage names of its own (<paramref name="names"/>, reported in the trace) and an
    /// optional per-stage row filter.</summary>
    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, string[] names,
        Classifier model, Tensor x, AttackGoal goal, AttackContext context, Eligible? eligible = null)
    {
        using var outer = NewDisposeScope();
        var n = (int)x.shape[0];
        var brokenBy = Enumerable.Repeat(-1, n).ToArray();
        var seconds = new double[stages.Count];
        var gradients = Enumerable.Range(0, n).Select(_ => new long[stages.Count]).ToArray();
        var queries = Enumerable.Range(0, n).Select(_ => new long[stages.Count]).ToArray();
        var adv = x.clone();
        var robust = goal.Succeeded(model.Predict(x)).logical_not();
        for (var s = 0; s < stages.Count; s++)
        {
            using var scope = NewDisposeScope();
            var (g0, q0) = (context.RowGradients(), context.RowQueries());
            var clock = Stopwatch.StartNew();
            var attack = eligible is null ? robust : robust & eligible(s, robust, brokenBy); // the filter's work counts in the stage
            var index = attack.nonzero().squeeze(1);
            if (index.numel() == 0)
            {
                if (eligible is null) break;
                continue;
            }
            var result = stages[s].Run(model, x.index_select(0, index), goal.Select(index), context.Select(index));
            seconds[s] = clock.Elapsed.TotalSeconds;
            var (g1, q1) = (context.RowGradients(), context.RowQueries());
            for (var i = 0; i < n; i++) (gradients[i][s], queries[i][s]) = (g1[i] - g0[i], q1[i] - q0[i]);
            var broken = index.masked_select(result.Success);
            foreach (var i in broken.data<long>().ToArray()) brokenBy[i] = s;
            Iterates.Replace(ref adv, adv.index_copy(0, broken, result.Adversarial.index_select(0, result.Success.nonzero().squeeze(1))));
            Iterates.Replace(ref robust, robust.index_fill(0, broken, false));
        }
        var trace = new CascadeTrace(names, brokenBy, seconds, gradients, queries);
        return (adv.MoveToOuterDisposeScope(), trace);
    }
}
