namespace Advex.Data;

/// <summary>
/// A folder with the four standard IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>; gzipped or raw, <c>-idx</c> or <c>.idx</c>), the
/// storage of <c>mnist</c>, <c>fashion-mnist</c> and <c>idx:</c>.
/// </summary>
public static class IdxFolder
{
    /// <param name="names">the class names, or null to infer the count from the largest label
    /// (<see cref="Dataset.ClassNamesKnown"/> false)</param>
    /// <param name="spec">the data spec, recorded in the dataset and named in messages</param>
    public static Dataset Load(string folder, string split, string[]? names, string spec)
    {
        if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
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

    /// <summary><paramref name="names"/> when no class count is stated or it equals their count, else an error.</summary>
    public static string[] Named(string[] names, int? classes, string spec) =>
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
