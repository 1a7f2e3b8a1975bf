namespace Advex.Evaluation;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Runs attacks over a dataset and reports what DESIGN §8/§9 require. The work is batch-major: per batch the clean
/// pass, then every run, then one record per (sample, run) (<see cref="SampleRecord"/>); every figure of the report
/// is computed from the records (<see cref="EvalAggregate"/>), so a sharded or resumed evaluation gives the same
/// report. Independent runs attack every sample; a cascade attacks only the samples still robust after the earlier
/// runs at the same ε and norm. Accuracy counts every evaluated sample (a sample misclassified before the attack
/// stays wrong); success rate is over the samples attacked.
/// </summary>
public sealed record RobustnessEvaluator
{
    /// <summary>Called as (samples done, samples total) after every batch.</summary>
    public Action<int, int>? OnProgress { get; init; }

    /// <summary>Called inside a batch whenever an attack counts work, as (samples done so far, counting the batch's
    /// estimated fraction (<see cref="RunProgress"/>), samples total, what runs now), so that a bar moves inside a
    /// batch.</summary>
    public Action<double, int, string>? OnStep { get; init; }

    /// <summary>Called for every whole-batch result as (run index, sample indices, result), inside the batch's dispose
    /// scope: copy out what you keep.</summary>
    public Action<int, long[], AttackResult>? OnBatchResult { get; init; }

    /// <summary>Called with the records of every finished batch, before the next one starts.</summary>
    public Action<IReadOnlyList<SampleRecord>>? OnRecords { get; init; }

    /// <summary>Called with every example image so far (one row per run) after a batch that added some, just before
    /// <see cref="OnRecords"/>: a folder that keeps both never holds records whose examples are lost.</summary>
    public Action<IReadOnlyList<ExampleRow>>? OnExamples { get; init; }

    /// <summary>Evaluates the shard of <paramref name="options"/> in memory and returns its report.</summary>
    public EvalReport Evaluate(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath)
    {
        var started = DateTime.UtcNow;
        var config = RunConfig.Of(model, modelPath, data, attacks, options);
        var examples = new List<ExampleRow>();
        var records = Records(model, data, attacks, options, options.Shard.Indices(data.Count), examples);
        var manifest = new RunManifest(config, options.Shard.Count == 1 ? null : options.Shard, modelPath, options.Command,
            VersionInfo.Advex, started);
        return EvalAggregate.Report(manifest, records, EvalAggregate.ProvenanceNow(options.Command, started)) with
        {
            Examples = examples,
        };
    }

    /// <summary>The records of the given dataset indices (in batches of <see cref="EvalOptions.BatchSize"/>, planned
    /// by <see cref="BatchPlanner"/> when it is auto);
    /// example images of the first samples are added to <paramref name="examples"/>.</summary>
    public List<SampleRecord> Records(Classifier model, Dataset data, IReadOnlyList<Attack> attacks,
        EvalOptions options, long[] indices, List<ExampleRow>? examples = null)
    {
        options.Validate();
        if (attacks.Count == 0) throw new AdvexException("no attack to run");
        model.CheckData(data);
        foreach (var a in attacks)
        {
            a.CheckModel(model);
            a.CheckBudget(model);
        }
        if (options.Cascade && attacks.FirstOrDefault(a => !a.IsBounded) is { } unbounded)
            throw new AdvexException($"cascade: {unbounded.Name} has no ε budget (a cascade chains bounded attacks)");
        var runs = attacks.Select(a => options.Cascade || options.EarlyStop ? a.WithEarlyStop().WithEotOf(a) : a).ToList();
        if (indices.Length > 0) runs = ForRun(runs, model, data, options); // nothing left to attack: no check to pay for
        var moreSteps = MoreStepsRuns(runs, options);
        var images = examples is null ? null : runs.Select(_ => new List<ExampleImage>()).ToList();
        var batchSize = options.BatchSize ?? BatchPlanner.Plan(model, attacks, null, options.MaxMemory, indices.Length).BatchSize;
        var all = new List<SampleRecord>();
        var progress = new RunProgress(runs);
        var done = 0;
        for (var start = 0; start < indices.Length; start += batchSize)
        {
            string Where() => $"during {string.Join(",", runs.Select(a => a.Name).Distinct())} after {done} of " +
                $"{indices.Length} samples; " + (OnRecords is null ? "nothing was written" : "the finished batches are kept (resume continues)");
            Interruption.ThrowIfRequested(Where);
            var idx = indices[start..Math.Min(indices.Length, start + batchSize)];
            var before = done;
            Action<int, int, long, Attacks.Core.AttackStep>? onStep = OnStep is null ? null : (r, rows, workAtStart, step) =>
            {
                var (fraction, label) = progress.At(r, rows, workAtStart, step);
                OnStep(before + fraction * idx.Length, indices.Length, label);
            };
            var imagesBefore = images?.Sum(i => i.Count) ?? 0;
            List<SampleRecord> batch;
            try
            {
                batch = new BatchEvaluation(model, data, idx, runs, options, moreSteps, OnBatchResult, onStep).Run(images);
            }
            catch (InterruptedException stop)
            {
                throw stop.At(Where()); // stopped inside an attack step: the unfinished batch is dropped
            }
            all.AddRange(batch);
            if (images is not null && OnExamples is not null && images.Sum(i => i.Count) > imagesBefore)
                OnExamples(Rows(runs, images));
            OnRecords?.Invoke(batch);
            done += idx.Length;
            OnProgress?.Invoke(done, indices.Length);
        }
        examples?.AddRange(Rows(runs, images!));
        return all;
    }

    /// <summary>Each run as it runs over this evaluation (<see cref="Attack.ForRun"/>): the runs with a run-level
    /// check make it on the spot-check samples of the whole dataset (<see cref="FastGuard.SpotRows"/>), so that every
    /// batch, shard and resumed process decides alike.</summary>
    private static List<Attack> ForRun(List<Attack> runs, Classifier model, Dataset data, EvalOptions options)
    {
        if (!runs.Any(a => a.ChecksRun)) return runs;
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var idx = FastGuard.SpotRows(data.Count);
        var (x, y) = data.Batch(idx);
        using var context = AttackContext.For(options.Seed, idx);
        var goal = options.Target.Goal(model, x, y, context);
        return [.. runs.Select(a => a.ChecksRun ? a.ForRun(model, x, goal, context) : a)];
    }

    private static List<ExampleRow> Rows(List<Attack> runs, List<List<ExampleImage>> images) =>
        runs.Select((a, r) => new ExampleRow(a.Name, a.IsBounded ? a.Eps : null, [.. images[r]])).ToList();

    /// <summary>A stable key for a run, e.g. <c>fgsm@0.1</c>.</summary>
    public static string Key(RunResult r) => r.Eps is { } e ? $"{r.Attack}@{e.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}" : r.Attack;

    /// <summary>The runs the "more steps do not help" check reruns: per iterative attack its largest ε (not in a
    /// cascade, where a stage's robustness depends on the earlier stages).</summary>
    private static HashSet<int> MoreStepsRuns(List<Attack> runs, EvalOptions options) => options.Cascade ? [] :
        runs.Select((a, i) => (a, i)).Where(t => t.a.IsBounded && t.a.WithMoreSteps() is not null)
            .GroupBy(t => t.a.Name).Select(g => g.OrderByDescending(t => t.a.Eps).First().i).ToHashSet();
}
