namespace Advex.Tests.Data;

using Advex.Data;
using Advex.Tests.Support;

/// <summary>The CIFAR binary readers on the committed fixtures (scripts/make_image_fixtures.py) and on damaged
/// copies: record counts from file lengths, label bytes, class names, the files of each split.</summary>
public sealed class CifarTests
{
    private static string Cifar10Dir => Path.Combine(Paths.Fixtures, "cifar10");
    private static string Cifar100Dir => Path.Combine(Paths.Fixtures, "cifar100");

    [Fact]
    public void Cifar10_reads_every_train_batch_in_order_and_the_names_of_batches_meta()
    {
        using var train = DataSource.Load("cifar10:" + Cifar10Dir, "train");
        using var test = DataSource.Load("cifar10:" + Cifar10Dir, "test");
        var records = (int)(new FileInfo(Path.Combine(Cifar10Dir, "data_batch_1.bin")).Length / 3073
                            + new FileInfo(Path.Combine(Cifar10Dir, "data_batch_2.bin")).Length / 3073);
        Assert.Equal(records, train.Count);
        Assert.Equal(new FileInfo(Path.Combine(Cifar10Dir, "test_batch.bin")).Length / 3073, test.Count);
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], test.ClassNames);
        var bytes = File.ReadAllBytes(Path.Combine(Cifar10Dir, "test_batch.bin"));
        Assert.Equal(bytes[3073], test.LabelArray[1]);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (x, _) = test.Slice(1, 1);
        // record 1: byte 3073 is its label, then 1024 R, 1024 G, 1024 B; pixel (row 2, col 5) of green:
        Assert.Equal(bytes[3073 + 1 + 1024 + 2 * 32 + 5] / 255f, x[0, 1, 2, 5].item<float>());
    }

    [Fact]
    public void Cifar10_file_that_is_not_whole_records_is_refused_naming_it()
    {
        var dir = Paths.TempDir();
        foreach (var f in Directory.GetFiles(Cifar10Dir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var bad = Path.Combine(dir, "test_batch.bin");
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..^100]);
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("cifar10:" + dir, "test"));
        Assert.Contains(bad, e.Message);
        Assert.Contains("not a whole number of 3073-byte records", e.Message);
    }

    [Fact]
    public void Cifar100_takes_the_fine_or_the_coarse_label_byte()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Cifar100Dir, "test.bin"));
        using var fine = DataSource.Load("cifar100:" + Cifar100Dir, "test", null, null, null, DataOptions.None);
        using var coarse = DataSource.Load("cifar100:" + Cifar100Dir, "test", null, null, null, new DataOptions { Label = "coarse" });
        Assert.Equal(bytes.Length / 3074, fine.Count);
        Assert.Equal(100, fine.Classes);
        Assert.Equal(20, coarse.Classes);
        Assert.Equal("fine07", fine.ClassNames[7]);
        Assert.Equal("coarse03", coarse.ClassNames[3]);
        for (var i = 0; i < fine.Count; i++)
        {
            Assert.Equal(bytes[i * 3074], coarse.LabelArray[i]);
            Assert.Equal(bytes[i * 3074 + 1], fine.LabelArray[i]);
        }
    }

    [Fact]
    public void Image_transforms_and_labels_are_refused_where_they_do_not_apply()
    {
        var e = Assert.Throws<AdvexException>(() =>
            DataSource.Load("cifar10:" + Cifar10Dir, "test", null, null, null, new DataOptions { Resize = 16 }));
        Assert.Contains("images: folders only", e.Message);
        e = Assert.Throws<AdvexException>(() =>
            DataSource.Load("cifar10:" + Cifar10Dir, "test", null, null, null, new DataOptions { Label = "coarse" }));
        Assert.Contains("cifar100: only", e.Message);
        e = Assert.Throws<AdvexException>(() =>
            DataSource.Load("cifar100:" + Cifar100Dir, "test", null, null, null, new DataOptions { Label = "medium" }));
        Assert.Contains("fine or coarse", e.Message);
    }
}
