namespace Advex.Evaluation;

/// <summary>
/// What a <c>run.json</c> read from disk must satisfy before resume or merge trusts it (it may have been edited):
/// every part of the configuration present, at least one run with distinct keys, a sample count, a class count and
/// a shard that make sense. The JSON reader already refuses missing fields and nulls (<see cref="RecordJson"/>);
/// this checks what it cannot: list elements and ranges.
/// </summary>
public static class ManifestCheck
{
    /// <summary>Why <paramref name="m"/> cannot be a run manifest, or null when it can.</summary>
    public static string? Problem(RunManifest m)
    {
        var c = m.Configuration;
        if (c.Model.Classes < 1) return $"configuration.model.classes is {c.Model.Classes}";
        if (c.Model.InputShape.Length == 0 || c.Model.InputShape.Any(d => d < 1))
            return $"configuration.model.input_shape [{string.Join(",", c.Model.InputShape)}] is not a shape";
        if (c.Data.Count < 0) return $"configuration.data.count is {c.Data.Count}";
        if (c.ClassNames.Any(n => n is null)) return "configuration.class_names holds a null";
        if (c.Runs.Count == 0) return "configuration.runs is empty";
        if (c.Runs.Any(r => r is null || r.Key is null || r.Attack is null)) return "configuration.runs holds an incomplete run";
        if (c.Runs.Select(r => r.Key).Distinct().Count() != c.Runs.Count) return "configuration.runs repeats a run key";
        if (m.Shard is { } s && (s.Count < 1 || s.Index < 0 || s.Index >= s.Count))
            return $"shard {s.Index}/{s.Count} needs 0 ≤ K < N";
        return null;
    }
}
