namespace Advex.Tests.Data;

using Advex.Data;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// The contract every registered data spec keeps, on a fixture per entry: both splits load as [N,C,H,W] in [0,1]
/// with labels in 0..classes−1, the dataset records the spec and split it came from, and a stated class count is
/// honoured. An entry whose data is an optional system package is skipped, with the reason, where it is missing.
/// </summary>
public sealed class DataSpecContractTests
{
    public static TheoryData<string> AllEntries() => new(DataSpecRegistry.All.Select(e => e.Name));

    /// <summary>The spec each entry is tested with; an entry added to the registry needs a fixture here.</summary>
    private static string FixtureSpec(DataSpec entry)
    {
        switch (entry.Name)
        {
            case "mnist": return "mnist";
            case "fashion-mnist":
                SystemPackage.Require(Directory.Exists(FashionMnist.SystemDir), FashionMnist.SystemDir, "dataset-fashion-mnist");
                return "fashion-mnist";
            case IdxSpec.Prefix: return IdxSpec.Prefix + Paths.IdxSmall;
            case ImageFolder.Prefix: return ImageFolder.Prefix + Path.Combine(Paths.Fixtures, "images", "cifar-png");
            case Cifar10.Prefix: return Cifar10.Prefix + Path.Combine(Paths.Fixtures, "cifar10");
            case Cifar100.Prefix: return Cifar100.Prefix + Path.Combine(Paths.Fixtures, "cifar100");
            default: throw new InvalidOperationException($"data spec '{entry.Usage}' has no fixture in DataSpecContractTests");
        }
    }

    private static DataSpec Entry(string name) => DataSpecRegistry.All.Single(e => e.Name == name);

    [SkippableTheory]
    [MemberData(nameof(AllEntries))]
    public void Entry_loads_both_splits_as_NCHW_in_the_unit_box_with_labels_below_classes(string name)
    {
        var spec = FixtureSpec(Entry(name));
        Assert.Same(Entry(name), DataSpecRegistry.Find(spec).Entry);
        foreach (var split in new[] { "train", "test" })
        {
            using var data = DataSource.Load(spec, split);
            using var scope = NewDisposeScope();
            Assert.True(data.Count > 0, $"{spec} {split} is empty");
            Assert.Equal((spec, split), (data.Spec, data.Split));
            Assert.True(data.Classes >= 2);
            Assert.Equal([data.Channels, data.Height, data.Width], data.InputShape);
            Assert.All(data.InputShape, d => Assert.True(d > 0));
            Assert.All(data.LabelArray, l => Assert.InRange(l, 0, data.Classes - 1));
            var (x, y) = data.Slice(0, Math.Min(16, data.Count));
            Assert.Equal([y.shape[0], .. data.InputShape], x.shape);
            Assert.True(x.min().item<float>() >= 0 && x.max().item<float>() <= 1, "pixels outside [0,1]");
            Assert.True(y.lt(data.Classes).all().item<bool>() && y.ge(0).all().item<bool>());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(AllEntries))]
    public void Entry_honours_a_stated_class_count(string name)
    {
        var spec = FixtureSpec(Entry(name));
        int classes;
        using (var data = DataSource.Load(spec, "test")) classes = data.Classes;
        using var stated = DataSource.Load(spec, "test", classes: classes);
        Assert.Equal(classes, stated.Classes);
        Assert.True(stated.ClassNamesKnown, "a stated class count makes the class names known");
    }

    [Theory]
    [MemberData(nameof(AllEntries))]
    public void Entry_is_described_in_the_help_and_in_unknown_dataset_messages(string name)
    {
        var entry = Entry(name);
        Assert.False(string.IsNullOrWhiteSpace(entry.Description));
        Assert.Contains($"{entry.Usage} ({entry.Description})", DataSpecRegistry.Help);
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("no-such-data"));
        Assert.Contains("unknown dataset 'no-such-data'", e.Message);
        Assert.Contains(entry.Usage, e.Message);
    }
}
