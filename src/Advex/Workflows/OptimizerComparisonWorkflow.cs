namespace Advex.Workflows;

using System.Globalization;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;
using static TorchSharp.torch;

/// <summary>What an optimizer comparison produced: the comparison (the JSON) and the files it wrote.</summary>
public sealed record OptimizerOutcome(OptimizerComparison Comparison, IReadOnlyList<string> Written)
{
    /// <summary>The optimizer that reached the target in the fewest median iterations (ties: lower final loss).</summary>
    public OptimizerRun? Fastest => Comparison.Optimizers.Where(r => r.MedianIterations is not null)
        .OrderBy(r => r.MedianIterations).ThenBy(r => r.FinalLoss).FirstOrDefault();
}

/// <summary>
/// <c>advex optimizers</c> as a library call (seed 003): SGD, RMSprop and Adam driving the same targeted
/// <see cref="OptimizerAttack"/> on the same samples (those not already labelled as the target); loss and
/// target-probability curves and the <see cref="OptimizerComparison"/> JSON.
/// </summary>
public static class OptimizerComparisonWorkflow
{
    public const string LossFigure = "optimizers_loss.png";
    public const string ProbabilityFigure = "optimizers_target_prob.png";

    public static OptimizerOutcome Run(Classifier model, Dataset data, OptimizerComparisonJob job, IProgress<JobProgress>? progress = null)
    {
        var attacks = job.Attacks();
        var target = job.Target;
        foreach (var a in attacks) a.CheckBudget(model);
        model.CheckData(data);
        if (target < 0 || target >= model.Classes)
            throw AdvexException.About($"target {target} is not a class of the model (0..{model.Classes - 1})", "target");
        // a sample already labelled as the target says nothing about reaching it
        var indices = Enumerable.Range(0, data.Count).Where(i => data.LabelArray[i] != target).Select(i => (long)i).ToArray();
        if (indices.Length == 0) throw new AdvexException($"every selected sample is labelled {target}; nothing to attack");
        var skipped = data.Count - indices.Length;
        random.manual_seed(job.Seed);

        var plan = BatchPlanner.Plan(model, attacks, job.BatchSize, job.MaxMemory, indices.Length);
        var batches = indices.Chunk(plan.BatchSize).ToList();
        var first = attacks[0];
        const string stage = "optimizers";
        JobProgress.Say(progress, stage, plan.Describe());
        JobProgress.Say(progress, stage, $"targeted attack to class {target} on {indices.Length} {data.Spec} {data.Split} samples" +
            (skipped > 0 ? $" ({skipped} labelled {target} skipped)" : "") +
            $", {first.Steps} steps, lr {first.Lr.ToString(CultureInfo.InvariantCulture)}, " +
            (first.IsBounded ? $"ε = {first.Eps.ToString(CultureInfo.InvariantCulture)} ({first.Norm.Name()})" : "unbounded"));
        var runs = new List<OptimizerRun>();
        foreach (var a in attacks)
        {
            progress?.Report(new JobProgress(stage, runs.Count, attacks.Count));
            var t = OptimizerTrace.Concat(batches.Select(idx =>
            {
                using var scope = NewDisposeScope();
                var (x, _) = data.Batch(idx);
                return a.Trace(model, x, new Targeted(Targets.Fixed(target, idx.Length)));
            }).ToList());
            runs.Add(new OptimizerRun(a.Optimizer.Name(), a.Lr, a.Steps, t.SuccessRate, t.MedianIterations, t.Loss[^1],
                t.MeanL2, t.Loss, t.TargetProbability, t.FirstSuccessIteration));
        }
        progress?.Report(new JobProgress(stage, attacks.Count, attacks.Count));

        var comparison = new OptimizerComparison(target, first.IsBounded ? first.Eps : null, first.Norm.Name(), indices.Length,
            skipped, runs);
        var written = new List<string>();
        if (job.OutDir != null) written.AddRange(WriteFigures(job.OutDir, target, runs));
        if (job.Json != null)
        {
            JsonOutput.Write(job.Json, comparison);
            written.Add(job.Json);
        }
        return new OptimizerOutcome(comparison, written);
    }

    private static string[] WriteFigures(string outDir, int target, List<OptimizerRun> runs)
    {
        double[] Iterations(OptimizerRun r) => Enumerable.Range(0, r.Loss.Length).Select(i => (double)i).ToArray();
        var lossPath = Path.Combine(outDir, LossFigure);
        LinePlot.Save(lossPath, $"Targeted attack to class {target}: loss", "iteration", "mean cross-entropy to the target",
            runs.Select(r => new LinePlot.Series(r.Name, Iterations(r), r.Loss)), yMin: 0);
        var probPath = Path.Combine(outDir, ProbabilityFigure);
        LinePlot.Save(probPath, $"Targeted attack to class {target}: target probability", "iteration",
            "mean probability of the target", runs.Select(r => new LinePlot.Series(r.Name, Iterations(r), r.TargetProbability)),
            yMin: 0, yMax: 1);
        return [lossPath, probPath];
    }
}
