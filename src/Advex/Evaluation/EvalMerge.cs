namespace Advex.Evaluation;

/// <summary>
/// Merges shard folders into one evaluation: every shard must share the configuration (model and data
/// fingerprints included) and every (dataset index, run) must appear exactly once over all shards, for every
/// index 0 … count−1 of the evaluated data. Each part's records were already checked against its configuration
/// and shard as they were read (<see cref="RecordFile.Read"/>). The merged records then give, through <see cref="EvalAggregate"/>,
/// exactly the report of the unsharded run.
/// </summary>
public static class EvalMerge
{
    public sealed record Part(string Folder, RunManifest Manifest, List<SampleRecord> Records);

    public static (RunManifest Manifest, List<SampleRecord> Records) Merge(IReadOnlyList<Part> parts, string command)
    {
        if (parts.Count == 0) throw new AdvexException("merge: give at least one evaluation folder");
        var first = parts[0];
        foreach (var p in parts.Skip(1))
            if (ConfigDifference.Between(first.Manifest.Configuration, p.Manifest.Configuration) is { } difference)
                throw new AdvexException($"merge: {p.Folder} has another configuration than {first.Folder} ({difference})");
        var config = first.Manifest.Configuration;
        var runs = config.Runs.Count;
        var seen = new Dictionary<(long, int), string>();
        var all = new List<SampleRecord>();
        foreach (var p in parts)
            foreach (var r in p.Records)
            {
                if (RecordCheck.Problem(r, config, p.Manifest.Shard) is { } problem)
                    throw new AdvexException($"merge: {p.Folder} holds a record that does not belong to the evaluation: {problem}");
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
}
