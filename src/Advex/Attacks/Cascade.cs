namespace Advex.Attacks;

using System.Diagnostics;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// AutoAttack's evaluation rule (Croce &amp; Hein 2020, <c>autoattack.py</c>): a per-sample "still robust" mask over
/// an ordered list of attacks. Each stage runs (through <see cref="Attack.Run"/>, so inside the ε-ball and the box,
/// success from the real prediction) only on the samples no earlier stage has broken; a broken sample keeps that
/// stage's adversarial, the others are returned unchanged. Samples that meet the goal before any attack are never
/// attacked.
/// </summary>
public static class Cascade
{
    public static (Tensor Adversarial, CascadeTrace Trace) Run(IReadOnlyList<Attack> stages, Classifier model, Tensor x,
        AttackGoal goal, Generator? rng)
    {
        using var outer = NewDisposeScope();
        var n = (int)x.shape[0];
        var brokenBy = Enumerable.Repeat(-1, n).ToArray();
        var seconds = new double[stages.Count];
        var gradients = new long[stages.Count];
        var forwards = new long[stages.Count];
        var adv = x.clone();
        var robust = goal.Succeeded(model.Predict(x)).logical_not();
        for (var s = 0; s < stages.Count; s++)
        {
            using var scope = NewDisposeScope();
            var index = robust.nonzero().squeeze(1);
            if (index.numel() == 0) break;
            var (g0, f0) = (model.GradientEvaluations, model.ForwardPasses);
            var clock = Stopwatch.StartNew();
            var result = stages[s].Run(model, x.index_select(0, index), goal.Select(index), rng);
            seconds[s] = clock.Elapsed.TotalSeconds;
            (gradients[s], forwards[s]) = (model.GradientEvaluations - g0, model.ForwardPasses - f0);
            var broken = index.masked_select(result.Success);
            foreach (var i in broken.data<long>().ToArray()) brokenBy[i] = s;
            Iterates.Replace(ref adv, adv.index_copy(0, broken, result.Adversarial.index_select(0, result.Success.nonzero().squeeze(1))));
            Iterates.Replace(ref robust, robust.index_fill(0, broken, false));
        }
        var trace = new CascadeTrace([.. stages.Select(a => a.Name)], brokenBy, seconds, gradients, forwards);
        return (adv.MoveToOuterDisposeScope(), trace);
    }
}
