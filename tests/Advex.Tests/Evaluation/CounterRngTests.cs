namespace Advex.Tests.Evaluation;

using Advex.Attacks.Core;
using Advex.Evaluation;
using static TorchSharp.torch;

/// <summary>The counter-based generator against its scalar reference, per-row independence, and shard slices.</summary>
public sealed class CounterRngTests
{
    [Fact]
    public void Tensor_bits_equal_the_scalar_splitmix64_reference()
    {
        // SplitMix64 of state 0: the first output of the reference generator seeded with 0 is 0xE220A8397B1DCDAF
        Assert.Equal(0xE220A8397B1DCDAFUL, CounterRng.Mix(CounterRng.Gamma));
        ulong[] keys = [0, 1, 0xFFFFFFFFFFFFFFFFUL, CounterRng.Key(7, 42, 3)];
        using var bits = CounterRng.Bits(keys, 1000);
        using var u = CounterRng.Uniform(keys, 1000);
        var b = bits.data<long>().ToArray();
        var f = u.data<double>().ToArray();
        for (var r = 0; r < keys.Length; r++)
            for (var j = 0; j < 1000; j++)
            {
                Assert.Equal(CounterRng.BitsAt(keys[r], j), unchecked((ulong)b[r * 1000 + j]));
                Assert.Equal(CounterRng.UniformAt(keys[r], j), f[r * 1000 + j]);
            }
        Assert.InRange(f.Average(), 0.48, 0.52);
        Assert.True(f.All(v => v > 0 && v < 1));
        // a draw above the scalar path's limit takes the tensor path: the same values
        var many = Enumerable.Range(0, (int)(CounterRng.ScalarPathLimit / 1000) + 2).Select(i => CounterRng.Key(9, (ulong)i)).ToArray();
        using var large = CounterRng.Uniform(many, 1000);
        var g = large.data<double>().ToArray();
        Assert.True(many.Length * 1000L > CounterRng.ScalarPathLimit);
        for (var r = 0; r < many.Length; r += 7)
            for (var j = 0; j < 1000; j += 13)
                Assert.Equal(CounterRng.UniformAt(many[r], j), g[r * 1000 + j]);
    }

    /// <summary>UniformValues is the same draw as Uniform: the same numbers (small and large draws, where Uniform
    /// takes its tensor path), and both advance the stream by one draw.</summary>
    [Fact]
    public void Uniform_values_are_the_uniform_tensor_of_the_same_draw()
    {
        var indices = Enumerable.Range(0, 70).Select(i => (long)(3 * i + 1)).ToArray();
        foreach (var perRow in new[] { 2L, 1000L })
        {
            using var a = AttackContext.For(11, indices).Stream("square");
            using var b = AttackContext.For(11, indices).Stream("square");
            for (var draw = 0; draw < 2; draw++)
            {
                var values = a.UniformValues(perRow);
                using var t = b.Uniform([indices.Length, perRow], ScalarType.Float64);
                Assert.Equal(t.data<double>().ToArray(), values);
            }
        }
        Assert.True(70 * 1000L > CounterRng.ScalarPathLimit);
    }

    [Fact]
    public void A_rows_numbers_depend_on_its_dataset_index_only()
    {
        using var batch = AttackContext.For(5, [10, 11, 12, 13]);
        using var alone = AttackContext.For(5, [12]);
        using var a = batch.Stream("pgd").Uniform([4, 3, 8]);
        using var b = alone.Stream("pgd").Uniform([1, 3, 8]);
        Assert.True(a[2].eq(b[0]).all().item<bool>());
        using var sub = batch.Stream("pgd").Select(tensor(new long[] { 2 })).Uniform([1, 3, 8]);
        Assert.True(sub[0].eq(b[0]).all().item<bool>());
        using var other = AttackContext.For(6, [12]).Stream("pgd").Uniform([1, 3, 8]);
        Assert.False(other.eq(b).all().item<bool>());
        using var n = AttackContext.For(1, Enumerable.Range(0, 200).Select(i => (long)i).ToArray()).Normal([200, 500]);
        Assert.InRange(n.mean().item<float>(), -0.02, 0.02);
        Assert.InRange(n.std().item<float>(), 0.98, 1.02);
    }

    [Theory]
    [InlineData("0/3", 0, 3)]
    [InlineData("2/3", 2, 3)]
    [InlineData("0/1", 0, 1)]
    public void Shards_parse_and_partition_the_indices(string text, int k, int n)
    {
        var s = Shard.Parse(text, _ => null);
        Assert.Equal(new Shard(k, n), s);
        var all = Enumerable.Range(0, n).SelectMany(i => new Shard(i, n).Indices(100)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), all);
        Assert.All(s.Indices(100), i => Assert.Equal(k, i % n));
    }

    [Fact]
    public void Shard_auto_reads_slurm_then_kubernetes()
    {
        var slurm = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "4", ["SLURM_ARRAY_TASK_COUNT"] = "5" };
        Assert.Equal(new Shard(4, 5), Shard.Parse("auto", v => slurm.GetValueOrDefault(v)));
        var k8s = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1", ["ADVEX_SHARDS"] = "3" };
        Assert.Equal(new Shard(1, 3), Shard.Parse("auto", v => k8s.GetValueOrDefault(v)));
        Assert.Throws<AdvexException>(() => Shard.Parse("auto", _ => null));
        foreach (var bad in new[] { "3/3", "-1/2", "1", "a/b", "1/0", "1/2/3" })
            Assert.Throws<AdvexException>(() => Shard.Parse(bad, _ => null));
    }
}
