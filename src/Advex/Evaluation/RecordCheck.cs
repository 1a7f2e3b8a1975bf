namespace Advex.Evaluation;

/// <summary>
/// What a record of <c>samples.jsonl</c> must satisfy to count, checked alike on resume and on merge (the file may
/// have been edited, truncated or mixed with another evaluation's): its index is a sample of the evaluation and of
/// the folder's shard, its run exists and carries that run's key, and its label and predictions are classes of the
/// model. Duplicates are found by <see cref="RecordFile.Read"/>.
/// </summary>
public static class RecordCheck
{
    /// <summary>Why <paramref name="r"/> cannot belong to an evaluation of <paramref name="config"/> (shard
    /// <paramref name="shard"/>, null for all), or null when it can.</summary>
    public static string? Problem(SampleRecord r, RunConfig config, Shard? shard)
    {
        var n = config.Data.Count;
        var runs = config.Runs.Count;
        var classes = config.Model.Classes;
        if (r.Index < 0 || r.Index >= n)
            return $"index {r.Index} is outside the evaluation's samples 0..{n - 1}";
        if (shard is { } s && !s.Contains(r.Index))
            return $"index {r.Index} is not in the folder's shard {s} (index mod {s.Count} = {r.Index % s.Count})";
        if (r.Run < 0 || r.Run >= runs)
            return $"run {r.Run} is outside the evaluation's runs 0..{runs - 1}";
        var key = config.Runs[r.Run].Key;
        if (r.Attack != key)
            return $"run {r.Run} is {key}, but the record says attack '{r.Attack ?? "(none)"}'";
        foreach (var (name, value) in new[] { ("label", r.Label), ("clean", r.Clean), ("adversarial", r.Adversarial) })
            if (value < 0 || value >= classes)
                return $"{name} {value} is not a class of the model (0..{classes - 1})";
        if (r.Gradients < 0 || r.Queries < 0 || r.NonFinite < 0)
            return "a negative count (gradients, queries or non_finite)";
        return null;
    }
}
