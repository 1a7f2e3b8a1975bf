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
/// attacked.
/// </summary>
public static class Cascade
{
    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, Classifier model, Tensor x,
        AttackGoal goal, AttackContext context)
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
            var index = robust.nonzero().squeeze(1);
            if (index.numel() == 0) break;
            var (g0, q0) = (context.RowGradients(), context.RowQueries());
            var rows = context.Select(index);
            rows.Enter(stages[s].Name, s, stages.Count);
            var clock = Stopwatch.StartNew();
            var result = stages[s].Run(model, x.index_select(0, index), goal.Select(index), rows);
            seconds[s] = clock.Elapsed.TotalSeconds;
            var (g1, q1) = (context.RowGradients(), context.RowQueries());
            for (var i = 0; i < n; i++) (gradients[i][s], queries[i][s]) = (g1[i] - g0[i], q1[i] - q0[i]);
            var broken = index.masked_select(result.Success);
            foreach (var i in broken.data<long>().ToArray()) brokenBy[i] = s;
            Iterates.Replace(ref adv, adv.index_copy(0, broken, result.Adversarial.index_select(0, result.Success.nonzero().squeeze(1))));
            Iterates.Replace(ref robust, robust.index_fill(0, broken, false));
        }
        var trace = new CascadeTrace([.. stages.Select(a => a.Name)], brokenBy, seconds, gradients, queries);
        return (adv.MoveToOuterDisposeScope(), trace);
    }
}
