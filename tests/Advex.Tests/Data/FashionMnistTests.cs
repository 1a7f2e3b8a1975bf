namespace Advex.Tests.Data;

using Advex.Data;
using Advex.Tests.Support;

public sealed class FashionMnistTests
{
    /// <summary>Needs Debian's dataset-fashion-mnist (installed by .ci/run); skipped without it.</summary>
    [SkippableFact]
    public void Fashion_mnist_loads_from_the_debian_package_with_its_class_names()
    {
        SystemPackage.Require(Directory.Exists(DataSource.FashionMnistSystemDir), DataSource.FashionMnistSystemDir,
            "dataset-fashion-mnist");
        using var test = DataSource.Load("fashion-mnist", "test");
        using var train = DataSource.Load("fashion-mnist", "train");
        Assert.Equal(10_000, test.Count);
        Assert.Equal(60_000, train.Count);
        Assert.Equal("Ankle boot", test.ClassNames[9]);
        Assert.Equal(Enumerable.Repeat(1000, 10), test.LabelArray.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void Fashion_mnist_in_a_missing_folder_says_how_to_get_it()
    {
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("fashion-mnist", "test", "/nope"));
        Assert.Contains("dataset-fashion-mnist", e.Message);
    }
}
