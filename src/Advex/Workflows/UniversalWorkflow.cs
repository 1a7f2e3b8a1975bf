namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Attacks;
using Advex.Attacks.Universal;
using Advex.Data;
using Advex.Evaluation;
using Advex.IO;
using Advex.Models;
using Advex.Reporting;

/// <summary>
/// <c>advex attack --universal</c> as a library call: learns v on the training data
/// (<see cref="UniversalPerturbation"/>), writes <c>perturbation.npy</c> (float32 [C,H,W], NumPy's format) and
/// <c>perturbation.png</c>, then evaluates the <c>universal</c> attack (<see cref="UniversalAttack"/>) on the held-out
/// data with the evaluation engine into <c>heldout/</c>; the fooling rate is computed from those records, so
/// <c>eval --attack universal --perturbation perturbation.npy</c> on the same data reproduces every figure.
/// </summary>
public static class UniversalWorkflow
{
    public const string PerturbationFile = "perturbation.npy";
    public const string ImageFile = "perturbation.png";
    public const string SummaryFile = "universal.json";
    public const string HeldoutDir = "heldout";

    public static UniversalSummary Run(Classifier model, Dataset train, Dataset heldout, UniversalJob job, string modelPath,
        IProgress<JobProgress>? progress = null)
    {
        model.CheckData(train);
        model.CheckData(heldout);
        var o = job.Options;
        var attackCheck = new UniversalAttack(o.Eps, [], model.InputShape, o.Norm);
        attackCheck.CheckBudget(model);
        var clock = Stopwatch.StartNew();
        JobProgress.Say(progress, "learn", $"learning a universal perturbation ({o.Method}, {o.Norm.Name()} ε={o.Eps}) on {train.Count} {train.Spec} {train.Split} images");
        var learned = UniversalPerturbation.Learn(model, train, o, job.Seed, (pass, rate) =>
        {
            progress?.Report(new JobProgress("learn", pass, o.Passes));
            JobProgress.Say(progress, "learn", $"pass {pass}: training fooling rate {rate:P2}");
        });
        Directory.CreateDirectory(job.OutDir);
        var npy = Path.Combine(job.OutDir, PerturbationFile);
        NpyFile.Write(npy, learned.Values, learned.Shape);
        WriteImage(Path.Combine(job.OutDir, ImageFile), learned, o);

        var attack = new UniversalAttack(o.Eps, learned.Values, learned.Shape, o.Norm, npy);
        var heldoutDir = Path.Combine(job.OutDir, HeldoutDir);
        Directory.CreateDirectory(heldoutDir);
        var outcome = EvalWorkflow.Run(model, heldout, [attack], new EvalOptions { BatchSize = job.BatchSize, Seed = job.Seed, Command = job.Command },
            modelPath, new EvalOutputs(OutDir: heldoutDir), progress);
        var records = EvalFolder.ReadRecords(heldoutDir, EvalFolder.ReadManifest(heldoutDir));
        var run = outcome.Report.Runs[0];
        var last = learned.Passes[^1];
        var summary = new UniversalSummary(o.Method.ToString().ToLowerInvariant(), o.Norm.Name(), o.Eps, train.Count, heldout.Count,
            learned.Passes, last.TrainFoolingRate, FoolingRate(records), outcome.Report.CleanAccuracy, run.RobustAccuracy,
            run.AttackSuccessRate, last.Linf, last.L2, clock.Elapsed.TotalSeconds, npy);
        JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        return summary;
    }

    /// <summary>The fraction of records whose adversarial prediction differs from the clean one.</summary>
    public static double FoolingRate(IReadOnlyCollection<SampleRecord> records) =>
        records.Count(r => r.Adversarial != r.Clean) / (double)records.Count;

    private static void WriteImage(string path, LearnedPerturbation v, UniversalOptions o)
    {
        var channels = (int)v.Shape[0];
        var zero = new float[v.Values.Length];
        ImageGrid.Save(path, [new ImageGrid.Row("v", [new ImageGrid.Cell(PerturbationImage.Amplified(v.Values, zero, channels), "amplified")])],
            channels, (int)v.Shape[1], (int)v.Shape[2], scale: 6,
            title: $"universal perturbation ({o.Method.ToString().ToLowerInvariant()}, {o.Norm.Name()} ε={o.Eps}; grey = 0)");
    }
}
