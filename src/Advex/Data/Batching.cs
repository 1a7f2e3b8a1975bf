namespace Advex.Data;

/// <summary>Index batches over a dataset: in file order, or shuffled reproducibly from a seed.</summary>
public static class Batching
{
    /// <summary>Consecutive batches of indices 0..n-1 in order.</summary>
    public static IEnumerable<long[]> Sequential(int n, int batchSize)
    {
        for (var start = 0; start < n; start += batchSize)
        {
            var len = Math.Min(batchSize, n - start);
            var idx = new long[len];
            for (var i = 0; i < len; i++) idx[i] = start + i;
            yield return idx;
        }
    }

    /// <summary>A Fisher–Yates permutation of 0..n-1 from <paramref name="seed"/>, cut into batches.
    /// The same (n, batchSize, seed) gives the same batches on every machine.</summary>
    public static IEnumerable<long[]> Shuffled(int n, int batchSize, int seed)
    {
        var perm = Permutation(n, seed);
        for (var start = 0; start < n; start += batchSize)
            yield return perm.AsSpan(start, Math.Min(batchSize, n - start)).ToArray();
    }

    /// <summary>The shuffled batches of epoch <paramref name="epoch"/> of a training run seeded with
    /// <paramref name="seed"/>: every trainer draws its batch order here, so a resumed run sees the same batches.</summary>
    public static IEnumerable<long[]> Epoch(int n, int batchSize, int seed, int epoch) =>
        Shuffled(n, batchSize, unchecked(seed * 7919 + epoch));

    /// <summary>The number of batches of size <paramref name="batchSize"/> covering n items (the last may be short).</summary>
    public static int Count(int n, int batchSize) => (n + batchSize - 1) / batchSize;

    public static long[] Permutation(int n, int seed)
    {
        var rng = new Random(seed);
        var perm = new long[n];
        for (var i = 0; i < n; i++) perm[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
    }
}
