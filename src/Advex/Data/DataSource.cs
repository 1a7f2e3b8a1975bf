namespace Advex.Data;

/// <summary>
/// Resolves a data spec (DESIGN §6) to a dataset split:
/// <c>mnist</c> (embedded), <c>fashion-mnist</c> (Debian dataset-fashion-mnist or <c>dataDir</c>),
/// <c>idx:&lt;folder&gt;</c> (the four standard IDX files, raw or gzipped).
/// </summary>
public static class DataSource
{
    public const string FashionMnistSystemDir = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static readonly string[] FashionNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static IReadOnlyList<string> KnownNames { get; } = ["mnist", "fashion-mnist", "idx:<folder>"];

    /// <summary>Where the embedded MNIST lives: next to the assembly (copied at build), else the repository's data/.</summary>
    public static string EmbeddedMnistDir()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", "mnist");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "mnist");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        throw new AdvexException("embedded MNIST not found (expected data/mnist next to the program)");
    }

    /// <param name="classes">the class count when the data does not name its classes (an <c>idx:</c> folder);
    /// without it such a dataset's count is inferred from its largest label (<see cref="Dataset.ClassNamesKnown"/>
    /// false). For data with names it must equal their count.</param>
    /// <param name="limit">keep only the first N samples, in file order</param>
    public static Dataset Load(string spec, string split, string? dataDir, int? classes, int? limit)
    {
        if (limit is <= 0) throw new AdvexException($"limit must be positive (got {limit})");
        var data = Load(spec, split, dataDir, classes);
        if (limit is not { } n || n >= data.Count) return data;
        using (data) return data.Take(n);
    }

    public static Dataset Load(string spec, string split = "test", string? dataDir = null, int? classes = null)
    {
        if (classes is < 2) throw new AdvexException($"classes must be at least 2 (got {classes})");
        if (split is not ("train" or "test"))
            throw new AdvexException($"unknown split '{split}' (expected train or test)");
        if (spec == "mnist") return LoadIdxFolder(dataDir ?? EmbeddedMnistDir(), split, Named(Digits, classes, spec), spec);
        if (spec == "fashion-mnist")
            return LoadIdxFolder(dataDir ?? FashionMnistSystemDir, split, Named(FashionNames, classes, spec), spec);
        if (spec.StartsWith("idx:", StringComparison.Ordinal))
        {
            var folder = spec[4..];
            if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
            return LoadIdxFolder(folder, split,
                classes is { } k ? Enumerable.Range(0, k).Select(i => i.ToString()).ToArray() : null, spec);
        }
        throw new AdvexException($"unknown dataset '{spec}' (expected one of: {string.Join(", ", KnownNames)})");
    }

    private static Dataset LoadIdxFolder(string folder, string split, string[]? names, string spec)
    {
        if (!Directory.Exists(folder))
            throw new AdvexException(spec == "fashion-mnist"
                ? $"Fashion-MNIST not found in {folder} (apt-get install dataset-fashion-mnist, or pass --data-dir)"
                : $"data folder not found: {folder}");
        var prefix = split == "train" ? "train" : "t10k";
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var images = Idx.Read(imagesPath, 3);
        var labels = Idx.Read(labelsPath, 1);
        if (images.Count != labels.Count)
            throw new AdvexException(
                $"image/label count mismatch: {imagesPath} has {images.Count} images, {labelsPath} has {labels.Count} labels");
        var y = labels.Data.Select(b => (long)b).ToArray();
        var known = names != null;
        names ??= Enumerable.Range(0, Math.Max(2, (int)y.DefaultIfEmpty().Max() + 1)).Select(i => i.ToString()).ToArray();
        return new Dataset(images.Data, y, 1, images.Dims[1], images.Dims[2], names, spec, split, known, labelsPath);
    }

    private static string[] Named(string[] names, int? classes, string spec) =>
        classes is null || classes == names.Length
            ? names
            : throw new AdvexException($"{spec} has {names.Length} classes, not {classes}");

    private static string Find(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx") + ".gz", stem.Replace("-idx", ".idx") })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new AdvexException($"IDX file not found: {Path.Combine(folder, stem)}[.gz]");
    }
}
