namespace Advex.Evaluation;

using System.Globalization;
using static TorchSharp.torch;

/// <summary>
/// Computes the whole report (<c>eval.json</c>) from the records and the configuration alone: clean accuracy, one
/// result per run, the worst case per ε, per-class figures and the sanity checks. Records are taken in (index, run)
/// order, so the report of a merged or resumed evaluation is identical to that of one uninterrupted run.
/// </summary>
public static class EvalAggregate
{
    public static EvalReport Report(RunManifest manifest, IReadOnlyList<SampleRecord> records, Provenance provenance)
    {
        var config = manifest.Configuration;
        var byRun = config.Runs.Select((_, r) => records.Where(s => s.Run == r).OrderBy(s => s.Index).ToArray()).ToList();
        var first = byRun[0];
        var n = first.Length;
        if (n == 0) throw new AdvexException("no records to report (the evaluation holds no samples)");
        var cleanAccuracy = first.Count(s => s.Clean == s.Label) / (double)n;
        var runs = config.Runs.Select((spec, r) => Result(spec, byRun[r], config)).ToList();
        return new EvalReport
        {
            CleanAccuracy = cleanAccuracy,
            Model = new ModelInfo(manifest.ModelPath, config.Model.Kind, config.Model.Architecture, config.Model.Classes,
                config.Model.InputShape, config.Model.Mean, config.Model.Std, config.Model.Backend, config.Model.MemoryFormat,
                config.Model.CheckpointEntry),
            Data = new DataInfo(config.Data.Spec, config.Data.Split, n, config.Labels),
            Seed = config.Seed,
            Runs = runs,
            WorstCase = WorstCases(config, runs, byRun),
            PerClass = PerClass(config, runs, byRun),
            Sanity = SanityChecks.Run(config, cleanAccuracy, runs, byRun),
            Provenance = provenance,
        };
    }

    public static Provenance ProvenanceNow(string command, DateTime started) =>
        new(VersionInfo.Advex, VersionInfo.TorchSharp, Native.TorchRuntime.EnsureLoaded(),
            $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            get_num_threads(), command, started);

    private static RunResult Result(RunSpec spec, SampleRecord[] s, RunConfig config)
    {
        var n = s.Length;
        var attacked = s.Where(r => r.Attacked).ToArray();
        var broken = attacked.Where(r => r.Success).ToArray();
        var brokenL2 = broken.Select(r => (double)r.L2).Order().ToArray();
        var brokenNorm = broken.Select(r => (double)r.NormIn(spec.Norm)).Order().ToArray();
        var seconds = s.Sum(r => r.Seconds);
        return new RunResult
        {
            Attack = spec.Attack,
            Norm = spec.Norm,
            Eps = spec.Eps,
            Params = spec.Params,
            Targeted = config.Target != "none",
            TargetMode = config.Target != "none" ? config.Target : null,
            RobustAccuracy = s.Count(r => r.Robust) / (double)n,
            AttackSuccessRate = attacked.Length == 0 ? 0 : broken.Length / (double)attacked.Length,
            MeanL2 = brokenL2.Length == 0 ? 0 : brokenL2.Average(),
            MedianL2 = brokenL2.Length == 0 ? 0 : Median(brokenL2),
            MeanLinf = broken.Length == 0 ? 0 : broken.Average(r => (double)r.Linf),
            MaxLinf = s.Max(r => r.Linf),
            MaxL2 = s.Max(r => r.L2),
            MeanNorm = brokenNorm.Length == 0 ? 0 : brokenNorm.Average(),
            MedianNorm = brokenNorm.Length == 0 ? 0 : Median(brokenNorm),
            Seconds = seconds,
            ImagesPerSecond = seconds > 0 ? n / seconds : 0,
            Count = n,
            NonFinite = s.Sum(r => r.NonFinite),
            MinValue = s.Min(r => r.Min),
            MaxValue = s.Max(r => r.Max),
            RobustAccuracyAtEps = spec.Eps is null && config.Eps.Length > 0
                ? config.Eps.Distinct().ToDictionary(Format, e => RobustAt(spec, s, e).Count(b => b) / (double)n)
                : null,
            GradientsPerSample = s.Average(r => (double)r.Gradients),
            QueriesPerSample = s.Average(r => (double)r.Queries),
            Stages = Stages(spec, s),
        };
    }

    /// <summary>Cascade attacks (AutoAttack): robust accuracy after each stage (a sample counts as broken by the first
    /// stage that met its goal) and each stage's cost per evaluated sample, from the records; null otherwise.</summary>
    private static List<StageResult>? Stages(RunSpec spec, SampleRecord[] s)
    {
        var traced = s.FirstOrDefault(r => r.StageGradients is not null);
        if (traced is null || !spec.Params.TryGetValue("attacks", out var names)) return null;
        var stages = names.ToString()!.Split(',');
        var n = (double)s.Length;
        return stages.Select((name, k) => new StageResult(name,
            s.Count(r => r.Clean == r.Label && (r.BrokenByStage is null or < 0 || r.BrokenByStage > k)) / n,
            s.Sum(r => r.StageSeconds?[k] ?? 0),
            s.Sum(r => (double)(r.StageGradients?[k] ?? 0)) / n,
            s.Sum(r => (double)(r.StageQueries?[k] ?? 0)) / n)).ToList();
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static string Format(double eps) => eps.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Per sample, robust at ε under a minimisation attack: correct before, and not fooled within ε.</summary>
    private static bool[] RobustAt(RunSpec spec, SampleRecord[] s, double eps) =>
        s.Select(r => r.Clean == r.Label && (r.Robust || r.NormIn(spec.Norm) > eps + 1e-6)).ToArray();

    /// <summary>Per (ε, norm): a sample is robust only if every attack failed on it (minimisation attacks scored at ε).</summary>
    private static List<WorstCase> WorstCases(RunConfig config, List<RunResult> runs, List<SampleRecord[]> byRun)
    {
        var views = new List<(double? Eps, string Norm, string Attack, bool[] Robust)>();
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Eps is not null) views.Add((runs[i].Eps, runs[i].Norm, runs[i].Attack, byRun[i].Select(r => r.Robust).ToArray()));
            else views.AddRange(config.Eps.Distinct().Select(e => ((double?)e, runs[i].Norm, runs[i].Attack, RobustAt(config.Runs[i], byRun[i], e))));
        }
        var n = byRun[0].Length;
        return views.GroupBy(v => (v.Eps, v.Norm)).Select(g =>
        {
            var members = g.ToList();
            var robust = Enumerable.Range(0, n).Count(s => members.All(m => m.Robust[s]));
            return new WorstCase(g.Key.Eps, g.Key.Norm, robust / (double)n, members.Select(m => m.Attack).Distinct().ToList());
        }).ToList();
    }

    private static List<ClassFigures> PerClass(RunConfig config, List<RunResult> runs, List<SampleRecord[]> byRun)
    {
        var list = new List<ClassFigures>();
        for (var c = 0; c < config.ClassNames.Length; c++)
        {
            var members = Enumerable.Range(0, byRun[0].Length).Where(i => byRun[0][i].Label == c).ToArray();
            if (members.Length == 0) continue;
            var robust = new Dictionary<string, double>();
            for (var r = 0; r < runs.Count; r++)
                robust[config.Runs[r].Key] = members.Count(i => byRun[r][i].Robust) / (double)members.Length;
            list.Add(new ClassFigures(c, config.ClassNames[c], members.Length,
                members.Count(i => byRun[0][i].Clean == c) / (double)members.Length, robust));
        }
        return list;
    }
}
