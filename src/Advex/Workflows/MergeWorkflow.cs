namespace Advex.Workflows;

using System.Text.Json;
using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// <c>advex merge</c> as a library call: reads shard folders, checks and merges their records
/// (<see cref="EvalMerge"/>), and writes one evaluation folder whose <c>eval.json</c> equals the unsharded run's
/// (timing and provenance aside, and the checks one shard failed alone, kept as <see cref="EvalReport.ShardWarnings"/>); figures, including the example grid from the shards' <c>examples.json</c>, go into
/// the same folder when asked. The output folder must not hold an evaluation already (one of the inputs, a finished
/// evaluation, a folder with an <c>eval.json</c>): a finished evaluation is never replaced.
/// </summary>
public static class MergeWorkflow
{
    public static EvalOutcome Run(IReadOnlyList<string> folders, string outDir, bool figures, string command)
    {
        CheckOut(folders, outDir);
        return Into(folders, outDir, figures, command, requireExamples: figures);
    }

    /// <summary>Refuses, before any work, an output folder that is one of the inputs (under any spelling or link)
    /// or that holds an evaluation already.</summary>
    public static void CheckOut(IReadOnlyList<string> folders, string outDir)
    {
        var realOut = Native.Posix.RealPath(outDir);
        foreach (var f in folders)
            if (Native.Posix.RealPath(f) == realOut)
                throw new AdvexException($"merge: the output folder {outDir} is one of the folders to merge ({f}); merge into a new folder");
        EvalFolder.RefuseExisting(outDir, "merge", "merge into a new folder");
    }

    /// <summary>Merges into <paramref name="outDir"/> without the check that it holds no evaluation (for
    /// <see cref="EvalWorkers"/>, which has checked its own folder).</summary>
    /// <param name="requireExamples">refuse folders whose example images were lost (the grid would be incomplete)</param>
    internal static EvalOutcome Into(IReadOnlyList<string> folders, string outDir, bool figures, string command,
        bool requireExamples)
    {
        var parts = new List<EvalMerge.Part>();
        foreach (var f in folders)
        {
            if (FileKinds.Of(f, followLinks: true) != FileKind.Directory) throw new AdvexException($"merge: {f} is not a folder");
            var manifest = EvalFolder.ReadManifest(f);
            parts.Add(new EvalMerge.Part(f, manifest, EvalFolder.ReadRecords(f, manifest)));
        }
        var (merged, records) = EvalMerge.Merge(parts, command);
        var pixels = EvalFolder.Pixels(merged.Configuration);
        var shardExamples = folders.Select(f => ExampleFile.Read(f, pixels)).ToList();
        var examples = ExampleFile.Merge(shardExamples);
        var exampleCount = new EvalOptions().ExampleCount;
        if (requireExamples)
            for (var k = 0; k < parts.Count; k++)
                if (ExampleFile.Missing(parts[k].Records, merged.Configuration, shardExamples[k], exampleCount) is { Count: > 0 } lost)
                    throw new AdvexException($"merge: {parts[k].Folder} has lost the example images of sample(s) " +
                        $"{string.Join(", ", lost.Take(8))} ({ExampleFile.FileName} missing or incomplete), so the example grid " +
                        "would be incomplete; resume that folder (eval --resume redoes them) or merge without the report");
        var provenance = EvalAggregate.ProvenanceNow(command, merged.StartedUtc);
        var report = EvalAggregate.Report(merged, records, provenance) with { Examples = examples };
        report = report with { ShardWarnings = ShardWarnings(parts, report, provenance) };
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, RunManifest.FileName), JsonSerializer.Serialize(merged, RecordJson.Indented));
        AtomicFile.WriteAllText(Path.Combine(outDir, RecordFile.FileName), RecordFile.Text(records));
        if (examples.Count > 0) ExampleFile.Write(outDir, examples);
        var c = merged.Configuration;
        return EvalWorkflow.Write(report, new EvalOutputs(OutDir: outDir, ReportDir: figures ? outDir : null),
            c.ClassNames, c.Model.InputShape);
    }

    /// <summary>The checks each shard fails on its own records (as its own eval.json says) that the merged report
    /// passes or does not run; null when there is none.</summary>
    private static List<ShardWarning>? ShardWarnings(IReadOnlyList<EvalMerge.Part> parts, EvalReport merged, Provenance provenance)
    {
        var failing = merged.Sanity.Where(c => !c.Ok).Select(c => c.Check).ToHashSet();
        var warnings = parts.Where(p => p.Records.Count > 0)
            .SelectMany(p => EvalAggregate.Report(p.Manifest, p.Records, provenance).Sanity
                .Where(c => !c.Ok && !failing.Contains(c.Check))
                .Select(c => new ShardWarning(p.Folder, c.Check, c.Detail)))
            .ToList();
        return warnings.Count == 0 ? null : warnings;
    }
}
