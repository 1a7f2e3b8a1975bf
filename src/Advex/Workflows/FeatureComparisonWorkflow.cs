namespace Advex.Workflows;

using System.Globalization;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;
using static TorchSharp.torch;

/// <summary>What a feature-space comparison produced: the comparison (the JSON) and the files it wrote.</summary>
public sealed record FeatureOutcome(FeatureComparison Comparison, IReadOnlyList<string> Written);

/// <summary>
/// <c>advex optimizers --guide</c> as a library call (seed 003 on a real network): SGD, RMSprop and Adam driving the
/// feature-space attack of Sabour et al. (2016) from one image toward another's features; the feature distance per
/// iteration (<see cref="DistanceFigure"/>), the photos with each optimizer's result and amplified perturbation
/// (<see cref="PhotosFigure"/>) and the <see cref="FeatureComparison"/> JSON.
/// </summary>
public static class FeatureComparisonWorkflow
{
    public const string DistanceFigure = "features_distance.png";
    public const string PhotosFigure = "features_photos.png";

    public static FeatureOutcome Run(FeatureExtractor phi, Dataset data, FeatureComparisonJob job, IProgress<JobProgress>? progress = null)
    {
        var attacks = job.Attacks();
        if (!data.InputShape.SequenceEqual(phi.InputShape))
            throw new AdvexException(
                $"data {data.Spec} has images [{string.Join(",", data.InputShape)}], the feature model expects [{string.Join(",", phi.InputShape)}]");
        foreach (var (index, name) in new[] { (job.Source, "source"), (job.Guide, "guide") })
            if (index < 0 || index >= data.Count)
                throw AdvexException.About($"{name} {index} is not a sample of {data.Spec} (0..{data.Count - 1})", name);
        if (job.Source == job.Guide) throw AdvexException.About($"source and guide are the same sample ({job.Source})", "source", "guide");
        const string stage = "features";
        string Named(int i) => data.SampleNames?[i] ?? $"sample {i}";
        JobProgress.Say(progress, stage, $"feature-space attack: {Named(job.Source)} toward the {phi.Dimensions}-d features of " +
            $"{Named(job.Guide)}, ε = {job.Eps.ToString("0.####", CultureInfo.InvariantCulture)} (L∞), {job.Steps} steps, " +
            $"lr {job.Lr.ToString(CultureInfo.InvariantCulture)}");

        using var scope = NewDisposeScope();
        var (x, _) = data.Batch([job.Source]);
        var (g, _) = data.Batch([job.Guide]);
        Tensor guide;
        using (no_grad()) guide = phi.Features(g);
        var runs = new List<FeatureRun>();
        var adversarial = new List<float[]>();
        foreach (var a in attacks)
        {
            progress?.Report(new JobProgress(stage, runs.Count, attacks.Count));
            var (adv, trace) = a.Run(phi, x, guide);
            adversarial.Add(adv.contiguous().data<float>().ToArray());
            runs.Add(new FeatureRun(a.Optimizer.Name(), a.Lr, a.Steps, trace.Distance[0], trace.Distance[^1], trace.Linf.Max(),
                trace.Distance));
        }
        progress?.Report(new JobProgress(stage, attacks.Count, attacks.Count));

        var comparison = new FeatureComparison(phi.Source, phi.Dimensions, data.Spec, job.Source, data.SampleNames?[job.Source],
            job.Guide, data.SampleNames?[job.Guide], job.Eps, runs);
        var written = new List<string>();
        if (job.OutDir != null)
        {
            Directory.CreateDirectory(job.OutDir);
            var distancePath = Path.Combine(job.OutDir, DistanceFigure);
            LinePlot.Save(distancePath, $"Feature-space attack: {Named(job.Source)} → {Named(job.Guide)}", "iteration",
                "feature distance ‖φ(x′) − φ(guide)‖₂",
                runs.Select(r => new LinePlot.Series(r.Name, Enumerable.Range(0, r.Distance.Length).Select(i => (double)i).ToArray(), r.Distance)),
                yMin: 0);
            var photosPath = Path.Combine(job.OutDir, PhotosFigure);
            var clean = x.contiguous().data<float>().ToArray();
            ImageGrid.Save(photosPath,
            [
                new("photos", [new(clean, $"source: {Named(job.Source)}"), new(g.contiguous().data<float>().ToArray(), $"guide: {Named(job.Guide)}")]),
                .. runs.Select((r, i) => new ImageGrid.Row(r.Name,
                [
                    new(adversarial[i], $"distance {r.FinalDistance:F1}"),
                    new(PerturbationImage.Amplified(adversarial[i], clean, data.Channels), $"δ amplified, L∞ {r.MaxLinf * 255:F1}/255"),
                ])),
            ], data.Channels, data.Height, data.Width, scale: 1,
                title: $"Feature-space attack, ε = {job.Eps * 255:0.#}/255");
            written.AddRange([distancePath, photosPath]);
        }
        if (job.Json != null)
        {
            JsonOutput.Write(job.Json, comparison);
            written.Add(job.Json);
        }
        return new FeatureOutcome(comparison, written);
    }
}
