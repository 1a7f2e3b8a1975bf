namespace Advex.Evaluation;

using System.Diagnostics;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// One batch of an evaluation: the clean pass (predictions and the per-sample model checks), every run on the
/// samples it attacks, and the batch's records, index-major (all runs of a sample, then the next sample).
/// Randomness comes from <see cref="AttackContext"/> keyed by (seed, dataset index), so the records of a sample do
/// not depend on the batch.
/// </summary>
internal sealed class BatchEvaluation(Classifier model, Dataset data, long[] idx, List<Attack> runs,
    EvalOptions options, HashSet<int> moreSteps, Action<int, long[], AttackResult>? onBatchResult)
{
    private sealed record Outcome(long[] Adv, bool[] Success, bool[] Robust, bool[] Attacked, float[] L2, float[] Linf,
        long[] Gradients, long[] Queries, float[] Min, float[] Max, int[] NonFinite, double Seconds,
        bool?[] RobustMoreSteps, bool?[] Reproducible, CascadeTrace?[] Trace, int[] TraceRow)
    {
        /// <summary>L1/L0 runs: each sample's norm in the run's norm.</summary>
        public float?[]? Norm { get; init; }
    }

    public List<SampleRecord> Run(List<List<ExampleImage>>? images)
    {
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var n = idx.Length;
        var (x, y) = data.Batch(idx);
        var labels = y.data<long>().ToArray();
        var (clean, zeroGrad, probLike, deterministic) = CleanPass(x, y);
        var cleanIsExact = deterministic.All(d => d);
        using var context = AttackContext.For(options.Seed, idx);
        var goal = options.Target.Goal(model, x, y, context);
        var stillRobust = new Dictionary<(double, string), bool[]>();
        var outcomes = new List<Outcome>();
        for (var r = 0; r < runs.Count; r++)
        {
            var attack = runs[r];
            bool[] attackedRows;
            if (options.Cascade)
            {
                var chain = (attack.Eps, attack.Norm.Name());
                if (!stillRobust.TryGetValue(chain, out var robust))
                    stillRobust[chain] = robust = Enumerable.Range(0, n).Select(i => clean[i] == labels[i]).ToArray();
                attackedRows = (bool[])robust.Clone();
            }
            else attackedRows = Enumerable.Repeat(true, n).ToArray();
            var outcome = RunOne(r, attack, x, goal, labels, clean, cleanIsExact, attackedRows, context, images?[r]);
            if (options.Cascade) stillRobust[(attack.Eps, attack.Norm.Name())] = outcome.Robust;
            outcomes.Add(outcome with
            {
                Attacked = options.Cascade ? attackedRows : clean.Select((c, i) => c == labels[i]).ToArray(),
            });
        }

        var records = new List<SampleRecord>(n * runs.Count);
        for (var i = 0; i < n; i++)
            for (var r = 0; r < runs.Count; r++)
            {
                var o = outcomes[r];
                records.Add(new SampleRecord(idx[i], r, RunConfig.RunKey(runs[r]), labels[i], clean[i], o.Adv[i],
                    o.Success[i], o.Robust[i], o.Attacked[i], o.L2[i], o.Linf[i], o.Gradients[i], o.Queries[i],
                    o.Min[i], o.Max[i], o.NonFinite[i], o.Seconds / n, zeroGrad[i], probLike[i], deterministic[i],
                    o.RobustMoreSteps[i], o.Reproducible[i]) with
                {
                    BrokenByStage = o.Trace[i]?.BrokenBy[o.TraceRow[i]],
                    StageGradients = o.Trace[i]?.Gradients[o.TraceRow[i]],
                    StageQueries = o.Trace[i]?.Queries[o.TraceRow[i]],
                    StageSeconds = o.Trace[i] is { } t ? t.Seconds.Select(sec => sec / t.BrokenBy.Length).ToArray() : null,
                    Norm = o.Norm?[i],
                });
            }
        return records;
    }

    /// <summary>Clean predictions and, per sample, an all-zero input gradient, probability-like outputs and whether
    /// two forward passes agree.</summary>
    private (long[] Clean, bool?[] ZeroGrad, bool[] ProbLike, bool[] Deterministic) CleanPass(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var zeroGrad = new bool?[x.shape[0]]; // a forward-only backend has no gradient to check
        if (model.HasGradients)
        {
            var (g, _) = Gradients.Of(model, x, l => Losses.CrossEntropy(l, new Untargeted(y)));
            zeroGrad = LpBall.LinfNorms(g).eq(0).data<bool>().Select(z => (bool?)z).ToArray();
        }
        using var _ = no_grad();
        var logits = model.Logits(x);
        var finite = logits.isfinite().all(1).data<bool>().ToArray();
        if (finite.Any(f => !f))
        {
            var bad = idx.Where((_, i) => !finite[i]).ToList();
            throw new AdvexException(
                $"model {model.DisplayName} gives NaN or infinite logits on clean sample{(bad.Count == 1 ? "" : "s")} " +
                $"{string.Join(", ", bad.Take(5))}{(bad.Count > 5 ? $" and {bad.Count - 5} more" : "")}: its predictions mean nothing " +
                "and no attack can be measured (check its weights and its input normalization)");
        }
        var again = model.Logits(x);
        var probLike = logits.min(1).values.ge(0) & logits.max(1).values.le(1) & (logits.sum(1) - 1).abs().lt(1e-3);
        return (logits.argmax(1).data<long>().ToArray(), zeroGrad,
            probLike.data<bool>().ToArray(), again.eq(logits).all(1).data<bool>().ToArray());
    }

    private Outcome RunOne(int r, Attack attack, Tensor x, AttackGoal goal, long[] labels, long[] clean,
        bool cleanIsExact, bool[] attackedRows, AttackContext context, List<ExampleImage>? images)
    {
        using var scope = NewDisposeScope();
        var n = idx.Length;
        var rows = Enumerable.Range(0, n).Where(i => attackedRows[i]).Select(i => (long)i).ToArray();
        var adv = clean.ToArray();
        var success = new bool[n];
        var l2 = new float[n];
        var linf = new float[n];
        var (min, max) = (new float[n], new float[n]);
        var nonFinite = new int[n];
        var gradients = new long[n];
        var queries = new long[n];
        var robustMore = new bool?[n];
        var reproducible = new bool?[n];
        var trace = new CascadeTrace?[n];
        var sparse = attack.Norm is Norm.L1 or Norm.L0;
        var norm = new float?[n];
        var traceRow = new int[n];
        var xMin = x.flatten(1).amin([1]).data<float>().ToArray();
        var xMax = x.flatten(1).amax([1]).data<float>().ToArray();
        for (var i = 0; i < n; i++) (min[i], max[i]) = (xMin[i], xMax[i]);
        var seconds = 0.0;
        if (rows.Length > 0)
        {
            var whole = rows.Length == n;
            using var rowTensor = tensor(rows, ScalarType.Int64);
            var xs = whole ? x : x.index_select(0, rowTensor);
            var goalS = whole ? goal : goal.Select(rowTensor);
            var ctx = whole ? context : context.Select(rowTensor);
            var gradientsBefore = context.GradientCounts.ToArray();
            var queriesBefore = context.QueryCounts.ToArray();
            var clock = Stopwatch.StartNew();
            var shortcut = whole && cleanIsExact && OnlyX(attack);
            var result = shortcut ? Unperturbed(x, goal, clean) : attack.Run(model, xs, goalS, ctx);
            seconds = clock.Elapsed.TotalSeconds;
            if (whole) onBatchResult?.Invoke(r, idx, result);
            using (no_grad())
            {
                var pred = result.Predictions.data<long>().ToArray();
                var ok = result.Success.data<bool>().ToArray();
                var l2s = result.L2.data<float>().ToArray();
                var linfs = result.Linf.data<float>().ToArray();
                var own = sparse ? result.Norms(attack.Norm)?.to_type(ScalarType.Float32).data<float>().ToArray() : null;
                var flat = result.Adversarial.flatten(1);
                var mins = flat.amin([1]).data<float>().ToArray();
                var maxs = flat.amax([1]).data<float>().ToArray();
                var bad = Finite.CountPerRow(flat).data<long>().ToArray();
                for (var k = 0; k < rows.Length; k++)
                {
                    var i = (int)rows[k];
                    (adv[i], success[i], l2[i], linf[i]) = (pred[k], ok[k], l2s[k], linfs[k]);
                    (min[i], max[i], nonFinite[i]) = (mins[k], maxs[k], (int)bad[k]);
                    if (own is not null) norm[i] = own[k];
                    gradients[i] = context.GradientCounts[i] - gradientsBefore[i];
                    (trace[i], traceRow[i]) = (result.Cascade, k);
                    queries[i] = context.QueryCounts[i] - queriesBefore[i];
                    if (idx[i] < options.ExampleCount && images is not null)
                        images.Add(new ExampleImage((int)idx[i], labels[i], clean[i], pred[k], x[i].data<float>().ToArray(),
                            result.Adversarial[k].data<float>().ToArray()));
                }
            }
            if (shortcut) SpotCheck(attack, x, goal, rows, context, adv, success, l2, linf, gradients, queries);
            if (moreSteps.Contains(r)) MoreSteps(attack, x, goal, labels, rows, context, robustMore);
            if (attack.IsRandomized) Repeat(attack, x, goal, rows, adv, l2, linf, reproducible);
        }
        var robust = Enumerable.Range(0, n).Select(i => attackedRows[i] ? adv[i] == labels[i] : false).ToArray();
        if (!options.Cascade) robust = adv.Select((p, i) => p == labels[i]).ToArray();
        return new Outcome(adv, success, robust, attackedRows, l2, linf, gradients, queries, min, max, nonFinite, seconds,
            robustMore, reproducible, trace, traceRow) { Norm = sparse ? norm : null };
    }

    /// <summary>A bounded attack at ε = 0 can only return x itself (<c>Attack.Run</c> projects onto the ε-ball;
    /// the first point of most ε sweeps), and the clean pass has already predicted x, in this very batch: reusing its
    /// predictions, when two clean passes agreed on every row, saves a forward pass per batch and gives the same
    /// records. The first few dataset indices are still attacked (<see cref="SpotCheck"/>). Not for AutoAttack,
    /// whose records carry a trace per stage.</summary>
    private static bool OnlyX(Attack attack) => attack.IsBounded && attack.Eps == 0 && attack is not AutoAttack;

    /// <summary>Really attacks, at ε = 0, the rows among the first dataset indices and records what that gives, so
    /// that the <c>eps_zero_unchanged</c> and <c>perturbation_within_eps</c> checks still test the attack on
    /// them.</summary>
    private void SpotCheck(Attack attack, Tensor x, AttackGoal goal, long[] rows, AttackContext context, long[] adv,
        bool[] success, float[] l2, float[] linf, long[] gradients, long[] queries)
    {
        var picked = rows.Where(i => idx[i] < EvalOptions.RepeatSamples).ToArray();
        if (picked.Length == 0) return;
        using var scope = NewDisposeScope();
        using var t = tensor(picked, ScalarType.Int64);
        var (gradientsBefore, queriesBefore) = (context.GradientCounts.ToArray(), context.QueryCounts.ToArray());
        var real = attack.Run(model, x.index_select(0, t), goal.Select(t), context.Select(t));
        var pred = real.Predictions.data<long>().ToArray();
        var ok = real.Success.data<bool>().ToArray();
        var l2s = real.L2.data<float>().ToArray();
        var linfs = real.Linf.data<float>().ToArray();
        for (var k = 0; k < picked.Length; k++)
        {
            var i = picked[k];
            (adv[i], success[i], l2[i], linf[i]) = (pred[k], ok[k], l2s[k], linfs[k]);
            gradients[i] = context.GradientCounts[i] - gradientsBefore[i];
            queries[i] = context.QueryCounts[i] - queriesBefore[i];
        }
    }

    /// <summary>What <c>Attack.Run</c> returns for x at ε = 0, from the clean predictions.</summary>
    private AttackResult Unperturbed(Tensor x, AttackGoal goal, long[] clean)
    {
        var predictions = tensor(clean, ScalarType.Int64);
        var none = zeros(x.shape[0], x.dtype);
        return new AttackResult(x.clamp(model.Lower, model.Upper), predictions, goal.Succeeded(predictions), none, none.clone());
    }

    /// <summary>Reruns the attack with twice the steps on the rows among the first dataset indices, from the same
    /// random numbers (same keys), so the comparison isolates the number of steps.</summary>
    private void MoreSteps(Attack attack, Tensor x, AttackGoal goal, long[] labels, long[] rows, AttackContext context,
        bool?[] into)
    {
        var picked = rows.Where(i => idx[i] < EvalOptions.MoreStepsSamples).ToArray();
        if (picked.Length == 0) return;
        using var scope = NewDisposeScope();
        using var t = tensor(picked, ScalarType.Int64);
        var more = attack.WithMoreSteps()!.WithEotOf(attack).Run(model, x.index_select(0, t), goal.Select(t), context.Select(t));
        var pred = more.Predictions.data<long>().ToArray();
        for (var k = 0; k < picked.Length; k++) into[picked[k]] = pred[k] == labels[picked[k]];
    }

    /// <summary>Repeats a randomized attack on the first few rows alone, with a fresh context for their indices:
    /// predictions and norms must be identical (each row's numbers depend only on its key).</summary>
    private void Repeat(Attack attack, Tensor x, AttackGoal goal, long[] rows, long[] adv, float[] l2, float[] linf,
        bool?[] into)
    {
        var picked = rows.Where(i => idx[i] < EvalOptions.RepeatSamples).ToArray();
        if (picked.Length == 0) return;
        using var scope = NewDisposeScope();
        using var t = tensor(picked, ScalarType.Int64);
        using var fresh = AttackContext.For(options.Seed, picked.Select(i => idx[i]).ToArray());
        var again = attack.Run(model, x.index_select(0, t), goal.Select(t), fresh);
        var pred = again.Predictions.data<long>().ToArray();
        var l2s = again.L2.data<float>().ToArray();
        var linfs = again.Linf.data<float>().ToArray();
        for (var k = 0; k < picked.Length; k++)
        {
            var i = picked[k];
            into[i] = pred[k] == adv[i] && l2s[k] == l2[i] && linfs[k] == linf[i];
        }
    }
}
