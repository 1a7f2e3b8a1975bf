namespace Advex.Workflows;

using System.Text.Json;
using Advex.Evaluation;
using Advex.Evaluation.Smoothing;
using Advex.IO;

/// <summary>
/// A certification folder: <c>run.json</c> (<see cref="CertifyManifest"/>), <c>samples.jsonl</c>
/// (<see cref="CertifyRecord"/>, appended and flushed per sample) and <c>certify.json</c>; resumed and merged like an
/// evaluation folder (<see cref="EvalFolder"/>).
/// </summary>
public static class CertifyFolder
{
    public const string ReportFile = "certify.json";
    public const string FigureFile = "certified_accuracy.png";

    /// <summary>Prepares the folder and returns the records already there (a resume of the same configuration and
    /// shard; a torn last line is dropped).</summary>
    public static List<CertifyRecord> Open(string dir, CertifyManifest manifest, bool resume)
    {
        var runPath = Path.Combine(dir, RunManifest.FileName);
        var samplesPath = Path.Combine(dir, RecordFile.FileName);
        if (!resume || !File.Exists(runPath))
        {
            if (File.Exists(runPath) || (File.Exists(samplesPath) && (!resume || new FileInfo(samplesPath).Length > 0)))
                throw new AdvexException(resume
                    ? $"resume: {dir} has {RecordFile.FileName} but no {RunManifest.FileName}; cannot tell what made it"
                    : $"{dir} already holds an evaluation (resume continues it; or choose another folder)");
            AtomicFile.WriteAllText(runPath, JsonSerializer.Serialize(manifest, RecordJson.Indented));
            File.WriteAllText(samplesPath, "");
            return [];
        }
        var old = ReadManifest(dir);
        if (ConfigDifference.Between(old.Configuration, manifest.Configuration) is { } difference)
            throw new AdvexException($"resume: {dir} was made by another certification ({difference}); use the same model, data and options, or another folder");
        if (!Equals(old.Shard, manifest.Shard))
            throw new AdvexException($"resume: {dir} holds shard {old.Shard?.ToString() ?? "all"}, not {manifest.Shard?.ToString() ?? "all"}");
        var (records, valid) = ReadRecords(samplesPath, old);
        if (File.Exists(samplesPath) && valid != new FileInfo(samplesPath).Length) RecordFile.Truncate(samplesPath, valid);
        return records;
    }

    /// <summary>The records of a certification's <c>samples.jsonl</c>: each of a sample of its shard, once.</summary>
    public static (List<CertifyRecord> Records, long ValidLength) ReadRecords(string path, CertifyManifest manifest)
    {
        var count = manifest.Configuration.Data.Count;
        var lineOf = new Dictionary<long, int>();
        return RecordFile.Read<CertifyRecord>(path, "certification record", (r, line) =>
        {
            if (r.Index < 0 || r.Index >= count) return $": sample {r.Index} is outside the certification's {count} samples";
            if (manifest.Shard is { } s && !s.Contains(r.Index)) return $": sample {r.Index} is not in shard {s}";
            if (r.Prediction < Certificate.Abstain || r.Prediction >= manifest.Configuration.Model.Classes || !double.IsFinite(r.Radius) || r.Radius < 0)
                return $": sample {r.Index} has prediction {r.Prediction} and radius {r.Radius}";
            if (lineOf.TryGetValue(r.Index, out var first)) return $" repeats sample {r.Index} of line {first}";
            lineOf[r.Index] = line;
            return null;
        });
    }

    /// <summary>Reads <c>run.json</c> of a certification folder; another kind of folder is refused by name.</summary>
    public static CertifyManifest ReadManifest(string dir)
    {
        var path = Path.Combine(dir, RunManifest.FileName);
        if (!File.Exists(path)) throw new AdvexException($"{dir} has no {RunManifest.FileName} (not a certification folder)");
        try
        {
            var manifest = JsonSerializer.Deserialize<CertifyManifest>(JsonFile.ReadText(path, "certification manifest"), RecordJson.Line);
            if (manifest?.Configuration is null || manifest.Schema != CertifyManifest.SchemaName)
                throw new AdvexException($"{path} is not a certification manifest (schema {CertifyManifest.SchemaName})");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{path} is not a certification manifest ({JsonProblem.Describe(e)})");
        }
    }

    /// <summary>True when the folder's <c>run.json</c> names the certification schema.</summary>
    public static bool IsCertification(string dir)
    {
        var path = Path.Combine(dir, RunManifest.FileName);
        // only a regular file is read: a FIFO or device here would block or never end (eval's reader refuses it by name)
        if (FileKinds.Of(path, followLinks: true) != FileKind.Regular) return false;
        try
        {
            using var doc = JsonDocument.Parse(JsonFile.ReadText(path, "run manifest"));
            return doc.RootElement.ValueKind == JsonValueKind.Object &&
                   doc.RootElement.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String &&
                   s.GetString() == CertifyManifest.SchemaName;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Merges shard folders: same configuration, every index 0 … count−1 exactly once.</summary>
    public static (CertifyManifest Manifest, List<CertifyRecord> Records) Merge(IReadOnlyList<string> folders, string command)
    {
        var parts = folders.Select(f => (Folder: f, Manifest: ReadManifest(f),
            Records: ReadRecords(Path.Combine(f, RecordFile.FileName), ReadManifest(f)).Records)).ToList();
        var first = parts[0];
        foreach (var p in parts.Skip(1))
            if (ConfigDifference.Between(first.Manifest.Configuration, p.Manifest.Configuration) is { } difference)
                throw new AdvexException($"merge: {p.Folder} has another configuration than {first.Folder} ({difference})");
        var count = first.Manifest.Configuration.Data.Count;
        var seen = new Dictionary<long, string>();
        foreach (var p in parts)
            foreach (var r in p.Records)
            {
                if (r.Index < 0 || r.Index >= count)
                    throw new AdvexException($"merge: {p.Folder} holds a record (index {r.Index}) outside the certification ({count} samples)");
                if (seen.TryGetValue(r.Index, out var other))
                    throw new AdvexException($"merge: sample {r.Index} appears twice, in {other} and {p.Folder}");
                seen[r.Index] = p.Folder;
            }
        for (long i = 0; i < count; i++)
            if (!seen.ContainsKey(i))
                throw new AdvexException($"merge: sample {i} is missing from every folder ({seen.Count} of {count} records found; is a shard missing or unfinished?)");
        var manifest = first.Manifest with { Shard = null, Command = command, StartedUtc = parts.Min(p => p.Manifest.StartedUtc) };
        return (manifest, parts.SelectMany(p => p.Records).OrderBy(r => r.Index).ToList());
    }
}
