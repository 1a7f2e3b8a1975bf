namespace Advex.Tests.Deploy;

using System.Text.Json.Nodes;

/// <summary>
/// An evaluation folder's content as a test compares it between a sharded-and-merged run and an unsharded one:
/// every record of samples.jsonl and all of eval.json, with timing (<c>seconds</c>, <c>images_per_second</c>) and
/// provenance (when, where, by which command) left out, as the engine contract allows, and a merge's
/// <c>shard_warnings</c> (checks that failed in one shard alone, which the unsharded run cannot have).
/// </summary>
public static class EvalFolderDiff
{
    private static readonly string[] Timing = ["seconds", "images_per_second"];

    /// <summary>Every record, timing removed, ordered by (sample index, run), one JSON text each.</summary>
    public static List<string> Records(string dir) =>
        File.ReadLines(Path.Combine(dir, "samples.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(r => (Index: (long)r["index"]!, Run: (int)r["run"]!, Record: WithoutTiming(r)))
            .OrderBy(r => r.Index).ThenBy(r => r.Run)
            .Select(r => r.Record.ToJsonString())
            .ToList();

    /// <summary>The dataset indices a folder's records cover, each once.</summary>
    public static SortedSet<long> Indices(string dir) =>
        [.. File.ReadLines(Path.Combine(dir, "samples.jsonl")).Where(l => l.Length > 0)
            .Select(l => (long)JsonNode.Parse(l)!["index"]!)];

    /// <summary>eval.json without its timing fields, its provenance and a merge's shard warnings.</summary>
    public static JsonNode Figures(string dir)
    {
        var eval = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "eval.json")))!.AsObject();
        eval.Remove("provenance");
        eval.Remove("shard_warnings");
        return WithoutTiming(eval);
    }

    private static JsonNode WithoutTiming(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in Timing) o.Remove(key);
                foreach (var (_, child) in o) if (child is not null) WithoutTiming(child);
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) WithoutTiming(child);
                break;
        }
        return node;
    }
}
