namespace Advex.Evaluation;

using System.Diagnostics;
using Advex.Attacks;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Runs attacks over a dataset and reports what DESIGN §8/§9 require. Every attack runs on every sample; accuracy
/// counts every evaluated sample (a sample misclassified before the attack stays wrong), success rate is over the
/// samples the model got right. Per-sample outcomes are kept to compute the worst case over attacks, per-class
/// figures and the sanity checks.
/// </summary>
public sealed record RobustnessEvaluator
{
    /// <summary>Called as (run index, run count, samples done, samples total).</summary>
    public Action<int, int, int, int>? OnProgress { get; init; }

    /// <summary>Called for every batch result as (run index, sample indices, result), inside the batch's dispose
    /// scope: copy out what you keep.</summary>
    public Action<int, long[], AttackResult>? OnBatchResult { get; init; }

    /// <summary>Per-sample outcome of one run.</summary>
    public sealed record RunSamples(Attack Attack, bool[] RobustCorrect, bool[] Success, float[] L2, float[] Linf);

    public EvalReport Evaluate(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath) => Evaluate(model, data, attacks, options, modelPath, out _);

    public EvalReport Evaluate(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, out List<RunSamples> samples)
    {
        options.Validate();
        if (attacks.Count == 0) throw new AdvexException("no attack to run");
        model.CheckData(data);
        foreach (var a in attacks) a.CheckBudget(model);
        var started = DateTime.UtcNow;
        var clean = ClassifierMetrics.Evaluate(model, data, options.BatchSize);
        var labels = data.LabelArray;
        var cleanCorrect = Enumerable.Range(0, data.Count).Select(i => clean.Predictions[i] == labels[i]).ToArray();

        var runs = new List<RunResult>();
        var examples = new List<ExampleRow>();
        samples = [];
        for (var r = 0; r < attacks.Count; r++)
        {
            var (result, perSample, example) =
                RunOne(model, data, attacks[r], options, cleanCorrect, clean.Predictions, r, attacks.Count);
            if (!attacks[r].IsBounded && options.Eps.Length > 0)
                result = result with
                {
                    RobustAccuracyAtEps = options.Eps.Distinct().ToDictionary(Format,
                        e => RobustAt(perSample, cleanCorrect, e).Count(b => b) / (double)data.Count),
                };
            runs.Add(result);
            samples.Add(perSample);
            examples.Add(example);
        }

        var sanity = SanityChecks.Run(model, data, options, clean.Accuracy, runs, samples);
        return new EvalReport
        {
            CleanAccuracy = clean.Accuracy,
            Model = new ModelInfo(modelPath, model.Kind, model.Architecture, model.Classes, model.InputShape,
                model.Normalization?.Mean, model.Normalization?.Std),
            Data = new DataInfo(data.Spec, data.Split, data.Count),
            Seed = options.Seed,
            Runs = runs,
            WorstCase = WorstCases(runs, samples, cleanCorrect, options.Eps),
            PerClass = PerClass(data, clean.Predictions, runs, samples),
            Sanity = sanity,
            Examples = examples,
            Provenance = new Provenance(VersionInfo.Advex, VersionInfo.TorchSharp, Native.TorchRuntime.EnsureLoaded(),
                $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                get_num_threads(), options.Command, started),
        };
    }

    /// <summary>A stable key for a run, e.g. <c>fgsm@0.1</c>.</summary>
    public static string Key(RunResult r) => r.Eps is { } e ? $"{r.Attack}@{e:0.####}" : r.Attack;

    private (RunResult, RunSamples, ExampleRow) RunOne(Classifier model, Dataset data, Attack attack,
        EvalOptions options, bool[] cleanCorrect, long[] cleanPredictions, int runIndex, int runCount)
    {
        var n = data.Count;
        var robust = new bool[n];
        var success = new bool[n];
        var l2 = new float[n];
        var linf = new float[n];
        var nonFinite = 0;
        double minValue = double.PositiveInfinity, maxValue = double.NegativeInfinity;
        var images = new List<ExampleImage>();
        var attackTime = TimeSpan.Zero;
        var stages = new StageTally(n);
        using var rng = new Generator((ulong)options.Seed);
        var offset = 0;
        foreach (var idx in Batching.Sequential(n, options.BatchSize))
        {
            Interruption.ThrowIfRequested(() => $"during {attack.Name} after {offset} of {n} samples; nothing was written");
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(idx);
            var goal = options.Target.Goal(model, x, y, rng);
            var clock = Stopwatch.StartNew();
            var result = attack.Run(model, x, goal, rng);
            attackTime += clock.Elapsed;
            OnBatchResult?.Invoke(runIndex, idx, result);
            if (result.Cascade is { } cascade) stages.Add(offset, cascade);
            using (no_grad())
            {
                var pred = result.Predictions.data<long>().ToArray();
                var ok = result.Success.data<bool>().ToArray();
                var l2s = result.L2.data<float>().ToArray();
                var linfs = result.Linf.data<float>().ToArray();
                nonFinite += (int)result.Adversarial.isfinite().logical_not().sum().item<long>();
                minValue = Math.Min(minValue, result.Adversarial.min().item<float>());
                maxValue = Math.Max(maxValue, result.Adversarial.max().item<float>());
                for (var i = 0; i < idx.Length; i++)
                {
                    var s = offset + i;
                    robust[s] = pred[i] == data.LabelArray[s];
                    success[s] = ok[i];
                    l2[s] = l2s[i];
                    linf[s] = linfs[i];
                    if (s < options.ExampleCount)
                        images.Add(new ExampleImage(s, data.LabelArray[s], cleanPredictions[s], pred[i], x[i].data<float>().ToArray(),
                            result.Adversarial[i].data<float>().ToArray()));
                }
            }
            offset += idx.Length;
            OnProgress?.Invoke(runIndex, runCount, offset, n);
        }

        var attacked = Enumerable.Range(0, n).Where(i => cleanCorrect[i]).ToArray();
        var broken = attacked.Where(i => success[i]).ToArray();
        var brokenL2 = broken.Select(i => (double)l2[i]).Order().ToArray();
        var seconds = attackTime.TotalSeconds;
        var run = new RunResult
        {
            Attack = attack.Name,
            Norm = attack.Norm.Name(),
            Eps = attack.IsBounded ? attack.Eps : null,
            Params = attack.Params,
            Targeted = options.Target.IsTargeted,
            TargetMode = options.Target.IsTargeted ? options.Target.ToString() : null,
            RobustAccuracy = robust.Count(b => b) / (double)n,
            AttackSuccessRate = attacked.Length == 0 ? 0 : broken.Length / (double)attacked.Length,
            MeanL2 = brokenL2.Length == 0 ? 0 : brokenL2.Average(),
            MedianL2 = brokenL2.Length == 0 ? 0 : Median(brokenL2),
            MeanLinf = broken.Length == 0 ? 0 : broken.Average(i => (double)linf[i]),
            MaxLinf = linf.Max(),
            Seconds = seconds,
            ImagesPerSecond = seconds > 0 ? n / seconds : 0,
            Count = n,
            NonFinite = nonFinite,
            MinValue = minValue,
            MaxValue = maxValue,
            Stages = stages.Results(cleanCorrect),
        };
        return (run, new RunSamples(attack, robust, success, l2, linf), new ExampleRow(attack.Name, run.Eps, images));
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static string Format(double eps) => eps.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Per sample, robust at ε under a minimisation attack: correct before, and not fooled within ε.</summary>
    private static bool[] RobustAt(RunSamples s, bool[] cleanCorrect, double eps)
    {
        var norms = s.Attack.Norm == Norm.Linf ? s.Linf : s.L2;
        return cleanCorrect.Select((ok, i) => ok && (s.RobustCorrect[i] || norms[i] > eps + 1e-6)).ToArray();
    }

    /// <summary>Per (ε, norm): a sample is robust only if every attack failed on it (minimisation attacks scored at ε).</summary>
    private static List<WorstCase> WorstCases(List<RunResult> runs, List<RunSamples> samples, bool[] cleanCorrect,
        double[] eps)
    {
        var views = new List<(double? Eps, string Norm, string Attack, bool[] Robust)>();
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Eps is not null) views.Add((runs[i].Eps, runs[i].Norm, runs[i].Attack, samples[i].RobustCorrect));
            else views.AddRange(eps.Distinct().Select(e => ((double?)e, runs[i].Norm, runs[i].Attack, RobustAt(samples[i], cleanCorrect, e))));
        }
        var n = cleanCorrect.Length;
        return views.GroupBy(v => (v.Eps, v.Norm)).Select(g =>
        {
            var members = g.ToList();
            var robust = Enumerable.Range(0, n).Count(s => members.All(m => m.Robust[s]));
            return new WorstCase(g.Key.Eps, g.Key.Norm, robust / (double)n, members.Select(m => m.Attack).Distinct().ToList());
        }).ToList();
    }

    private static List<ClassFigures> PerClass(Dataset data, long[] predictions, List<RunResult> runs,
        List<RunSamples> samples)
    {
        var list = new List<ClassFigures>();
        for (var c = 0; c < data.Classes; c++)
        {
            var members = Enumerable.Range(0, data.Count).Where(i => data.LabelArray[i] == c).ToArray();
            if (members.Length == 0) continue;
            var robust = new Dictionary<string, double>();
            for (var r = 0; r < runs.Count; r++)
                robust[Key(runs[r])] = members.Count(i => samples[r].RobustCorrect[i]) / (double)members.Length;
            list.Add(new ClassFigures(c, data.ClassNames[c], members.Length,
                members.Count(i => predictions[i] == c) / (double)members.Length, robust));
        }
        return list;
    }
}
