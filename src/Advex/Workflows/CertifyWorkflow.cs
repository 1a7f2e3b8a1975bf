namespace Advex.Workflows;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Advex.Data;
using Advex.Evaluation;
using Advex.Evaluation.Smoothing;
using Advex.IO;
using Advex.Models;
using Advex.Reporting;

/// <summary>What a certification produced: the report (<c>certify.json</c>) and the figures it wrote.</summary>
public sealed record CertifyOutcome(CertifyReport Report, IReadOnlyList<string> Figures);

/// <summary>
/// <c>advex certify</c> as a library call: CERTIFY (<see cref="RandomizedSmoothing"/>) on every sample of the job's
/// shard, one record per sample appended to the certification folder when there is one (a resume skips the samples
/// already there), then the report computed from all records (<see cref="CertifyAggregate"/>).
/// </summary>
public static class CertifyWorkflow
{
    public static CertifyOutcome Run(Classifier model, Dataset data, CertifyJob job, string modelPath,
        IProgress<JobProgress>? progress = null)
    {
        job.Validate();
        model.CheckData(data);
        const string stage = "certify";
        var started = DateTime.UtcNow;
        var o = job.Smoothing;
        var manifest = new CertifyManifest(CertifyConfig.Of(model, modelPath, data, o, job.Seed),
            job.Shard.Count == 1 ? null : job.Shard, modelPath, job.Command, VersionInfo.Advex, started) { Radii = job.Radii };
        var done = job.OutDir is null ? [] : CertifyFolder.Open(job.OutDir, manifest, job.Resume);
        var doneIndices = done.Select(r => r.Index).ToHashSet();
        var todo = job.Shard.Indices(data.Count).Where(i => !doneIndices.Contains(i)).ToArray();
        JobProgress.Say(progress, stage, $"certifying {todo.Length} of {data.Count} {data.Spec} {data.Split} samples" +
            (job.Shard.Count > 1 ? $" (shard {job.Shard})" : "") + (done.Count > 0 ? $", {done.Count} already done" : "") +
            string.Create(CultureInfo.InvariantCulture, $": σ={o.Sigma}, n0={o.N0}, n={o.N}, α={o.Alpha}"));
        var records = new List<CertifyRecord>(done);
        for (var k = 0; k < todo.Length; k++)
        {
            Interruption.ThrowIfRequested(() => $"during certify after {k} of {todo.Length} samples");
            using var scope = TorchSharp.torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var (x, y) = data.Batch([todo[k]]);
            var label = y[0].item<long>();
            var c = RandomizedSmoothing.Certify(model, x[0], todo[k], o, job.Seed);
            var record = new CertifyRecord(todo[k], label, c.Prediction, c.Prediction == label, c.Radius, c.CountA, c.PALower,
                clock.Elapsed.TotalSeconds);
            records.Add(record);
            if (job.OutDir is { } dir) RecordFile.Append(Path.Combine(dir, RecordFile.FileName), [record]);
            progress?.Report(new JobProgress(stage, k + 1, todo.Length));
        }
        var report = CertifyAggregate.Report(manifest, records, manifest.Radii, EvalAggregate.ProvenanceNow(job.Command, started));
        return Write(report, job.OutDir, job.Json, job.ReportDir);
    }

    /// <summary><c>advex merge</c> of certification folders: one folder whose <c>certify.json</c> equals the unsharded
    /// run's (timing and provenance aside).</summary>
    public static CertifyOutcome Merge(IReadOnlyList<string> folders, string outDir, bool figures, string command) =>
        MergeInto(folders, outDir, command, null, figures ? outDir : null);

    /// <summary><see cref="Merge"/> with the JSON copy and the report folder of <see cref="CertifyJob"/> (for
    /// <see cref="CertifyWorkers"/>).</summary>
    internal static CertifyOutcome MergeInto(IReadOnlyList<string> folders, string outDir, string command, string? json,
        string? reportDir)
    {
        var (manifest, records) = CertifyFolder.Merge(folders, command);
        var report = CertifyAggregate.Report(manifest, records, manifest.Radii, EvalAggregate.ProvenanceNow(command, manifest.StartedUtc));
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, RunManifest.FileName), JsonSerializer.Serialize(manifest, RecordJson.Indented));
        AtomicFile.WriteAllText(Path.Combine(outDir, RecordFile.FileName),
            string.Concat(records.Select(r => JsonSerializer.Serialize(r, RecordJson.Line) + "\n")));
        return Write(report, outDir, json, reportDir);
    }

    private static CertifyOutcome Write(CertifyReport report, string? outDir, string? json, string? reportDir)
    {
        if (outDir != null) JsonOutput.Write(Path.Combine(outDir, CertifyFolder.ReportFile), report);
        if (json != null) JsonOutput.Write(json, report);
        var figures = new List<string>();
        if (reportDir != null)
        {
            Directory.CreateDirectory(reportDir);
            JsonOutput.Write(Path.Combine(reportDir, CertifyFolder.ReportFile), report);
            figures.Add(CertifyFigures.Write(reportDir, report, CertifyFolder.FigureFile));
        }
        return new CertifyOutcome(report, figures);
    }
}
