namespace Advex.Evaluation;

/// <summary>
/// Merges shard folders into one evaluation: every shard must share the configuration (model and data
/// fingerprints included) and every (dataset index, run) must appear exactly once over all shards, for every
/// index 0 … count−1 of the evaluated data. The merged records then give, through <see cref="EvalAggregate"/>,
/// exactly the report of the unsharded run.
/// </summary>
public static class EvalMerge
{
    public sealed record Part(string Folder, RunManifest Manifest, List<SampleRecord> Records);

    public static (RunManifest Manifest, List<SampleRecord> Records) Merge(IReadOnlyList<Part> parts, string command)
    {
        if (parts.Count == 0) throw new AdvexException("merge: give at least one evaluation folder");
        var first = parts[0];
        var canonical = first.Manifest.Configuration.Canonical();
        foreach (var p in parts.Skip(1))
            if (p.Manifest.Configuration.Canonical() != canonical)
                throw new AdvexException($"merge: {p.Folder} has another configuration than {first.Folder} ({Difference(first.Manifest.Configuration, p.Manifest.Configuration)})");
        var config = first.Manifest.Configuration;
        var runs = config.Runs.Count;
        var seen = new Dictionary<(long, int), string>();
        var all = new List<SampleRecord>();
        foreach (var p in parts)
            foreach (var r in p.Records)
            {
                if (r.Index < 0 || r.Index >= config.Data.Count || r.Run < 0 || r.Run >= runs)
                    throw new AdvexException($"merge: {p.Folder} holds a record (index {r.Index}, run {r.Run}) outside the evaluation ({config.Data.Count} samples, {runs} runs)");
                if (seen.TryGetValue((r.Index, r.Run), out var other))
                    throw new AdvexException($"merge: sample {r.Index} ({config.Runs[r.Run].Key}) appears twice, in {other} and {p.Folder}");
                seen[(r.Index, r.Run)] = p.Folder;
                all.Add(r);
            }
        for (long i = 0; i < config.Data.Count; i++)
            for (var r = 0; r < runs; r++)
                if (!seen.ContainsKey((i, r)))
                    throw new AdvexException($"merge: sample {i} ({config.Runs[r].Key}) is missing from every folder " +
                                             $"({seen.Count} of {config.Data.Count * runs} records found; is a shard missing or unfinished?)");
        var manifest = first.Manifest with
        {
            Shard = null,
            Command = command,
            StartedUtc = parts.Min(p => p.Manifest.StartedUtc),
        };
        return (manifest, all.OrderBy(r => r.Index).ThenBy(r => r.Run).ToList());
    }

    /// <summary>The first top-level field where two configurations differ, for the error line.</summary>
    public static string Difference<TConfig>(TConfig a, TConfig b)
    {
        var ja = System.Text.Json.JsonSerializer.SerializeToElement(a, RecordJson.Line);
        var jb = System.Text.Json.JsonSerializer.SerializeToElement(b, RecordJson.Line);
        foreach (var p in ja.EnumerateObject())
            if (!jb.TryGetProperty(p.Name, out var q) || q.GetRawText() != p.Value.GetRawText())
                return $"{p.Name} differs";
        return "configurations differ";
    }
}
