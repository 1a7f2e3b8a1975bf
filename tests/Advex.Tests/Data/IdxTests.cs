namespace Advex.Tests.Data;

using System.IO.Compression;
using System.Security.Cryptography;
using Advex.Data;
using Advex.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

public sealed class IdxTests
{
    [Property(MaxTest = 50)]
    public bool Idx_write_then_read_round_trips(PositiveInt n, PositiveInt h, bool gz, int seed)
    {
        var dims = new[] { n.Get % 7 + 1, h.Get % 5 + 1, h.Get % 3 + 1 };
        var data = new byte[dims[0] * dims[1] * dims[2]];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(Paths.TempDir(), gz ? "a-idx3-ubyte.gz" : "a-idx3-ubyte");
        Idx.Write(path, new IdxArray(dims, data));
        var back = Idx.Read(path, 3);
        return back.Dims.SequenceEqual(dims) && back.Data.SequenceEqual(data);
    }

    [Fact]
    public void Embedded_mnist_matches_its_checksums_and_sizes()
    {
        var dir = DataSource.EmbeddedMnistDir();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "SHA256SUMS")))
        {
            var parts = line.Split("  ");
            using var gz = new GZipStream(File.OpenRead(Path.Combine(dir, parts[1] + ".gz")), CompressionMode.Decompress);
            var hash = Convert.ToHexStringLower(SHA256.HashData(gz));
            Assert.Equal(parts[0], hash);
        }
        using var train = DataSource.Load("mnist", "train");
        using var test = DataSource.Load("mnist", "test");
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal([1L, 28, 28], test.InputShape);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<AdvexException>(() => Idx.Read("/nonexistent/t10k-images-idx3-ubyte", 3));
        Assert.Contains("/nonexistent/t10k-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void Truncated_file_is_reported_with_sizes()
    {
        var path = WriteRaw([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]);
        var e = Assert.Throws<AdvexException>(() => Idx.Read(path, 3));
        Assert.Contains("truncated", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains("needs 8", e.Message);
    }

    [Fact]
    public void Wrong_magic_is_reported()
    {
        var path = WriteRaw([0x1f, 0x00, 8, 3, 0, 0, 0, 1]);
        var e = Assert.Throws<AdvexException>(() => Idx.Read(path, 3));
        Assert.Contains("wrong magic", e.Message);
    }

    [Fact]
    public void Wrong_rank_is_reported()
    {
        var path = WriteRaw([0, 0, 8, 1, 0, 0, 0, 1, 5]);
        var e = Assert.Throws<AdvexException>(() => Idx.Read(path, 3));
        Assert.Contains("rank 1", e.Message);
    }

    [Fact]
    public void Image_label_count_mismatch_names_both_files()
    {
        var dir = Paths.TempDir();
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), new IdxArray([3, 28, 28], new byte[3 * 784]));
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new IdxArray([2], new byte[2]));
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("idx:" + dir, "test"));
        Assert.Contains("count mismatch", e.Message);
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void Unknown_dataset_lists_the_known_ones()
    {
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("cifar-11"));
        Assert.Contains("unknown dataset 'cifar-11'", e.Message);
        Assert.Contains("mnist", e.Message);
    }

    [Fact]
    public void Idx_folder_fixture_loads_both_splits()
    {
        using var test = DataSource.Load("idx:" + Paths.IdxSmall, "test");
        using var train = DataSource.Load("idx:" + Paths.IdxSmall, "train");
        Assert.Equal(200, test.Count);
        Assert.Equal(200, train.Count);
        Assert.Equal(10, test.Classes);
    }

    [Fact]
    public void Shuffled_batches_are_a_seeded_permutation()
    {
        var a = Batching.Shuffled(1000, 64, 5).SelectMany(b => b).ToArray();
        var b = Batching.Shuffled(1000, 64, 5).SelectMany(b => b).ToArray();
        var c = Batching.Shuffled(1000, 64, 6).SelectMany(b => b).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), a.Order());
    }

    private static string WriteRaw(byte[] bytes)
    {
        var path = Path.Combine(Paths.TempDir(), "x-idx3-ubyte");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
