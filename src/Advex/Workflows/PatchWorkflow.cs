namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Attacks.Patch;
using Advex.Data;
using Advex.Evaluation;
using Advex.IO;
using Advex.Models;
using Advex.Reporting;

/// <summary>What <see cref="PatchWorkflow"/> does: train a targeted adversarial patch on training images and score it on
/// held-out ones, writing <c>patch.npy</c>, <c>patch.png</c>, <c>patched_examples.png</c> and <c>patch.json</c>.</summary>
public sealed record PatchJob
{
    public required PatchOptions Options { get; init; }
    public int Seed { get; init; }
    public required string OutDir { get; init; }
    /// <summary>Held-out images shown with the patch in <c>patched_examples.png</c>.</summary>
    public int Examples { get; init; } = 10;
}

/// <summary><c>advex attack --patch</c> as a library call (Brown et al. 2017; <see cref="AdversarialPatch"/>).</summary>
public static class PatchWorkflow
{
    public const string PatchFile = "patch.npy";
    public const string ImageFile = "patch.png";
    public const string ExamplesFile = "patched_examples.png";
    public const string SummaryFile = "patch.json";

    public static PatchSummary Run(Classifier model, Dataset train, Dataset heldout, PatchJob job, IProgress<JobProgress>? progress = null)
    {
        model.CheckData(heldout);
        var o = job.Options;
        var clock = Stopwatch.StartNew();
        JobProgress.Say(progress, "patch", $"training a patch for class {o.Target} on {train.Count} {train.Spec} {train.Split} images");
        var patch = AdversarialPatch.Train(model, train, o, job.Seed, (epoch, rate) =>
        {
            progress?.Report(new JobProgress("patch", epoch, o.Epochs));
            JobProgress.Say(progress, "patch", $"epoch {epoch}: {rate:P2} of the training images sent to {o.Target}");
        });
        var patched = AdversarialPatch.PatchedPredictions(model, heldout, patch.Values, patch.Shape, o, job.Seed);
        var labels = heldout.LabelArray;
        var clean = new long[heldout.Count];
        using (var scope = TorchSharp.torch.NewDisposeScope())
            for (var start = 0; start < heldout.Count; start += 256)
            {
                var (x, _) = heldout.Slice(start, Math.Min(256, heldout.Count - start));
                model.Predict(x).data<long>().ToArray().CopyTo(clean, start);
            }
        var others = Enumerable.Range(0, heldout.Count).Where(i => labels[i] != o.Target).ToArray();
        var attempted = Math.Max(1, others.Length);
        Directory.CreateDirectory(job.OutDir);
        var npy = Path.Combine(job.OutDir, PatchFile);
        NpyFile.Write(npy, patch.Values, patch.Shape);
        var (c, k) = ((int)patch.Shape[0], (int)patch.Shape[1]);
        ImageGrid.Save(Path.Combine(job.OutDir, ImageFile), [new ImageGrid.Row("patch", [new ImageGrid.Cell(patch.Values, $"→ {o.Target}")])],
            c, k, k, scale: 8, title: $"adversarial patch for class {o.Target}");
        WriteExamples(Path.Combine(job.OutDir, ExamplesFile), heldout, patch, o, job, patched, clean);
        var summary = new PatchSummary(o.Target, patch.Shape, o.Size, o.MinScale, o.MaxScale, o.MaxRotation, train.Count, heldout.Count,
            patch.Epochs, others.Count(i => patched[i] == o.Target) / (double)attempted, others.Length,
            others.Count(i => clean[i] == o.Target) / (double)attempted, clock.Elapsed.TotalSeconds, npy);
        JsonOutput.Write(Path.Combine(job.OutDir, SummaryFile), summary);
        return summary;
    }

    private static void WriteExamples(string path, Dataset data, TrainedPatch patch, PatchOptions o, PatchJob job, long[] patched, long[] clean)
    {
        var rows = Enumerable.Range(0, Math.Min(job.Examples, data.Count)).Select(i => (long)i).ToArray();
        if (rows.Length == 0) return;
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (x, _) = data.Batch(rows);
        var images = AdversarialPatch.Patched(data, rows, patch.Values, patch.Shape, o, job.Seed);
        var plane = data.Channels * data.Height * data.Width;
        var cleanPixels = x.data<float>().ToArray();
        var patchedPixels = images.data<float>().ToArray();
        ImageGrid.Save(path,
        [
            new("clean", rows.Select(i => new ImageGrid.Cell(cleanPixels[(int)(i * plane)..(int)((i + 1) * plane)], $"{clean[i]}")).ToList()),
            new("patched", rows.Select(i => new ImageGrid.Cell(patchedPixels[(int)(i * plane)..(int)((i + 1) * plane)], $"→ {patched[i]}",
                patched[i] == o.Target)).ToList()),
        ], data.Channels, data.Height, data.Width, title: $"patch for class {o.Target} on held-out images (prediction shown)");
    }
}
