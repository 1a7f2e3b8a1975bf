namespace Advex.Data;

/// <summary>
/// Resolves a data spec (DESIGN §6) to a dataset split through <see cref="DataSpecRegistry"/>:
/// <c>mnist</c> (embedded), <c>fashion-mnist</c> (Debian dataset-fashion-mnist or <c>dataDir</c>),
/// <c>idx:&lt;folder&gt;</c> (the four standard IDX files, raw or gzipped), <c>images:&lt;folder&gt;</c> (class
/// sub-folders of PNG/JPEG/BMP/WebP), <c>cifar10:&lt;folder&gt;</c> and <c>cifar100:&lt;folder&gt;</c> (the binary
/// versions).
/// </summary>
public static class DataSource
{
    public const string FashionMnistSystemDir = FashionMnist.SystemDir;

    /// <summary>How each registered spec is written (<see cref="DataSpecRegistry.Usages"/>).</summary>
    public static IReadOnlyList<string> KnownNames => DataSpecRegistry.Usages;

    /// <summary>Where the embedded MNIST lives (<see cref="Mnist.EmbeddedDir"/>).</summary>
    public static string EmbeddedMnistDir() => Mnist.EmbeddedDir();

    /// <param name="classes">the class count when the data does not name its classes (an <c>idx:</c> folder);
    /// without it such a dataset's count is inferred from its largest label (<see cref="Dataset.ClassNamesKnown"/>
    /// false). For data with names it must equal their count.</param>
    /// <param name="limit">keep only the first N samples, in file order</param>
    public static Dataset Load(string spec, string split, string? dataDir, int? classes, int? limit) =>
        Load(spec, split, dataDir, classes, limit, DataOptions.None);

    /// <param name="options">image transforms (<c>images:</c>) and the CIFAR-100 label choice</param>
    public static Dataset Load(string spec, string split, string? dataDir, int? classes, int? limit, DataOptions options)
    {
        if (limit is <= 0) throw AdvexException.About($"limit must be positive (got {limit})", "limit");
        var data = LoadAll(spec, split, dataDir, classes, options.Validate());
        if (limit is not { } n || n >= data.Count) return data;
        using (data) return data.Take(n);
    }

    public static Dataset Load(string spec, string split = "test", string? dataDir = null, int? classes = null) =>
        LoadAll(spec, split, dataDir, classes, DataOptions.None);

    private static Dataset LoadAll(string spec, string split, string? dataDir, int? classes, DataOptions options)
    {
        if (classes is < 2) throw new AdvexException($"classes must be at least 2 (got {classes})");
        if (split is not ("train" or "test"))
            throw new AdvexException($"unknown split '{split}' (expected train or test)");
        var (entry, argument) = DataSpecRegistry.Find(spec);
        return entry.Load(argument, split, dataDir, classes, options);
    }
}
