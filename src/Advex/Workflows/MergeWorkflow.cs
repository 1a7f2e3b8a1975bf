namespace Advex.Workflows;

using System.Text.Json;
using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// <c>advex merge</c> as a library call: reads shard folders, checks and merges their records
/// (<see cref="EvalMerge"/>), and writes one evaluation folder whose <c>eval.json</c> equals the unsharded run's
/// (timing and provenance aside); figures, including the example grid from the shards' <c>examples.json</c>, go into
/// the same folder when asked.
/// </summary>
public static class MergeWorkflow
{
    public static EvalOutcome Run(IReadOnlyList<string> folders, string outDir, bool figures, string command)
    {
        var parts = new List<EvalMerge.Part>();
        foreach (var f in folders)
        {
            if (!Directory.Exists(f)) throw new AdvexException($"merge: {f} is not a folder");
            var manifest = EvalFolder.ReadManifest(f);
            parts.Add(new EvalMerge.Part(f, manifest, RecordFile.Read(Path.Combine(f, RecordFile.FileName)).Records));
        }
        var (merged, records) = EvalMerge.Merge(parts, command);
        var examples = ExampleFile.Merge(folders.Select(ExampleFile.Read).ToList());
        var report = EvalAggregate.Report(merged, records, EvalAggregate.ProvenanceNow(command, merged.StartedUtc))
            with { Examples = examples };
        Directory.CreateDirectory(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, RunManifest.FileName), JsonSerializer.Serialize(merged, RecordJson.Indented));
        AtomicFile.WriteAllText(Path.Combine(outDir, RecordFile.FileName), RecordFile.Text(records));
        if (examples.Count > 0) ExampleFile.Write(outDir, examples);
        var c = merged.Configuration;
        return EvalWorkflow.Write(report, new EvalOutputs(OutDir: outDir, ReportDir: figures ? outDir : null),
            c.ClassNames, c.Model.InputShape);
    }
}
