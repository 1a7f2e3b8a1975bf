namespace Advex.Workflows;

using System.Text.Json;
using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// An evaluation folder (<c>--out DIR</c>): <c>run.json</c> (<see cref="RunManifest"/>), <c>samples.jsonl</c>
/// (<see cref="RecordFile"/>) and <c>eval.json</c>. The caller holds the folder's <see cref="RunLock"/>.
/// </summary>
public static class EvalFolder
{
    public const string EvalFile = "eval.json";

    /// <summary>
    /// Prepares the folder for <paramref name="manifest"/> and returns the records already done. A fresh start
    /// refuses a folder that already holds an evaluation; a resume refuses another configuration or shard, drops a
    /// torn last line and the records of a sample whose runs were not all written, and keeps the rest.
    /// </summary>
    public static List<SampleRecord> Open(string dir, RunManifest manifest, bool resume)
    {
        var runPath = Path.Combine(dir, RunManifest.FileName);
        var samplesPath = Path.Combine(dir, RecordFile.FileName);
        if (!resume)
        {
            if (File.Exists(runPath) || File.Exists(samplesPath))
                throw new AdvexException($"{dir} already holds an evaluation (resume continues it; or choose another folder)");
            AtomicFile.WriteAllText(runPath, JsonSerializer.Serialize(manifest, RecordJson.Indented));
            File.WriteAllText(samplesPath, "");
            return [];
        }
        if (!File.Exists(runPath))
        {
            if (File.Exists(samplesPath) && new FileInfo(samplesPath).Length > 0)
                throw new AdvexException($"resume: {dir} has {RecordFile.FileName} but no {RunManifest.FileName}; cannot tell what made it");
            return Open(dir, manifest, resume: false);
        }
        var old = ReadManifest(dir);
        if (old.Configuration.Canonical() != manifest.Configuration.Canonical())
            throw new AdvexException($"resume: {dir} was made by another evaluation ({EvalMerge.Difference(old.Configuration, manifest.Configuration)}); use the same model, data and options, or another folder");
        if (!Equals(old.Shard, manifest.Shard))
            throw new AdvexException($"resume: {dir} holds shard {old.Shard?.ToString() ?? "all"}, not {manifest.Shard?.ToString() ?? "all"}");
        var (records, valid) = RecordFile.Read(samplesPath);
        var runs = manifest.Configuration.Runs.Count;
        var complete = records.GroupBy(r => r.Index).Where(g => g.Select(r => r.Run).Distinct().Count() == runs)
            .SelectMany(g => g).ToList();
        if (complete.Count != records.Count)
            AtomicFile.WriteAllText(samplesPath, RecordFile.Text(complete));
        else if (File.Exists(samplesPath) && valid != new FileInfo(samplesPath).Length)
            RecordFile.Truncate(samplesPath, valid);
        else if (!File.Exists(samplesPath)) File.WriteAllText(samplesPath, "");
        return complete;
    }

    /// <summary>Reads <c>run.json</c> of an evaluation folder.</summary>
    public static RunManifest ReadManifest(string dir)
    {
        var path = Path.Combine(dir, RunManifest.FileName);
        if (!File.Exists(path))
            throw new AdvexException($"{dir} has no {RunManifest.FileName} (not an evaluation folder written with an output folder)");
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), RecordJson.Line)
                   ?? throw new AdvexException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{path} is not a run manifest: {e.Message}");
        }
    }

    public static void Append(string dir, IReadOnlyList<SampleRecord> records) =>
        RecordFile.Append(Path.Combine(dir, RecordFile.FileName), records);
}
