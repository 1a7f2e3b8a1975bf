namespace Advex.Evaluation;

using System.Globalization;

/// <summary>
/// A fixed slice of an evaluation by dataset index: shard K of N (0-based) holds every index i with i mod N = K,
/// so each shard gets an even mix of the split (and of the first samples the sanity checks use). The whole
/// evaluation is shard 0 of 1.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public static Shard All { get; } = new(0, 1);

    public bool Contains(long i) => i % Count == Index;

    /// <summary>The dataset indices of this shard among 0 … n−1, in order.</summary>
    public long[] Indices(int n)
    {
        var list = new List<long>();
        for (long i = Index; i < n; i += Count) list.Add(i);
        return [.. list];
    }

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>
    /// Parses <c>K/N</c> (0 ≤ K &lt; N) or <c>auto</c>: Slurm job arrays (<c>SLURM_ARRAY_TASK_ID</c>,
    /// <c>SLURM_ARRAY_TASK_COUNT</c>), else Kubernetes Indexed Jobs (<c>JOB_COMPLETION_INDEX</c> with
    /// <c>ADVEX_SHARDS</c>).
    /// </summary>
    public static Shard Parse(string text, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        if (text == "auto")
        {
            if (env("SLURM_ARRAY_TASK_ID") is { } id)
                return Make(id, env("SLURM_ARRAY_TASK_COUNT")
                    ?? throw new AdvexException("shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not"), "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
            if (env("JOB_COMPLETION_INDEX") is { } k)
                return Make(k, env("ADVEX_SHARDS")
                    ?? throw new AdvexException("shard auto: JOB_COMPLETION_INDEX is set but ADVEX_SHARDS (the number of shards) is not"), "JOB_COMPLETION_INDEX/ADVEX_SHARDS");
            throw new AdvexException("shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set (run inside a Slurm job array or a Kubernetes Indexed Job, or give K/N)");
        }
        var parts = text.Split('/');
        if (parts.Length != 2) throw new AdvexException($"shard must be K/N or auto (got '{text}')");
        return Make(parts[0], parts[1], text);
    }

    private static Shard Make(string k, string n, string source)
    {
        if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
            !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new AdvexException($"shard {source}: '{k}/{n}' must be two whole numbers K/N with 0 ≤ K < N");
        if (count < 1 || index >= count)
            throw new AdvexException($"shard {source}: '{k}/{n}' needs 0 ≤ K < N and N ≥ 1 (shards are numbered from 0)");
        return new Shard(index, count);
    }
}
