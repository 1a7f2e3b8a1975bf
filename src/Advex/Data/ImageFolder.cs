namespace Advex.Data;

using Advex.Data.Images;

/// <summary>
/// <c>images:&lt;folder&gt;</c>: one sub-folder per class, as torchvision's <c>ImageFolder</c> reads it. Classes are the
/// sub-folder names in ordinal order, samples the image files (<see cref="ImageDecoder.Extensions"/>) of each class
/// in ordinal order of their names, class by class; other files are skipped. When the folder has both
/// <c>train/</c> and <c>test/</c>, the split picks one, else the folder itself is the data of either split. The
/// images are decoded to RGB and transformed (<see cref="ImageTransforms"/>); they must then share one size, else
/// the first that differs is an error naming it. An empty class folder or an undecodable image is an error naming it.
/// </summary>
public static class ImageFolder
{
    public const string Prefix = "images:";

    public static DataSpec Entry { get; } = DataSpec.Prefix(Prefix, "<folder>",
        "one sub-folder of PNG/JPEG/BMP/WebP images per class",
        (folder, split, _, classes, options) =>
        {
            options.RefuseLabel(Prefix + folder);
            return Load(folder, split, classes, options);
        });

    public static Dataset Load(string folder, string split, int? classes, DataOptions options)
    {
        var spec = Prefix + folder;
        if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
        var root = SplitFolder(folder, split);
        var classDirs = Directory.GetDirectories(root).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0) throw new AdvexException($"data {spec}: no class sub-folders in {root}");
        var names = IdxFolder.Named(classDirs.Select(d => Path.GetFileName(d)!).ToArray(), classes, spec);
        if (names.Length < 2) throw new AdvexException($"data {spec}: {root} has one class folder, a classifier needs at least 2");
        var files = new List<(string Path, long Label)>();
        for (var c = 0; c < classDirs.Length; c++)
        {
            var images = Directory.GetFiles(classDirs[c]).Where(ImageDecoder.IsImageFile)
                .OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
            if (images.Count == 0)
                throw new AdvexException(
                    $"data {spec}: class folder {classDirs[c]} has no images ({string.Join(", ", ImageDecoder.Extensions)})");
            files.AddRange(images.Select(f => (f, (long)c)));
        }
        Planes? first = null;
        string? firstPath = null;
        var pixels = Array.Empty<byte>();
        for (var i = 0; i < files.Count; i++)
        {
            Interruption.ThrowIfRequested(() => $"while reading {spec} ({i} of {files.Count} images); nothing was written");
            var image = ImageTransforms.Apply(ImageDecoder.DecodeRgb(files[i].Path), options);
            if (first is null)
            {
                (first, firstPath) = (image, files[i].Path);
                pixels = new byte[(long)files.Count * image.Data.Length];
            }
            else if ((image.Channels, image.Height, image.Width) != (first.Channels, first.Height, first.Width))
                throw new AdvexException(
                    $"image {files[i].Path} is {image.Width}×{image.Height}, but {firstPath} is {first.Width}×{first.Height} " +
                    "(after the transforms): give resize and center-crop to bring every image to one size");
            image.Data.CopyTo(pixels, (long)i * first.Data.Length);
        }
        return new Dataset(pixels, files.Select(f => f.Label).ToArray(), first!.Channels, first.Height, first.Width, names,
            spec, split, labelSource: root)
        {
            Format = DataFormat.Images,
            SampleNames = files.Select(f => Path.GetRelativePath(root, f.Path)).ToArray(),
        };
    }

    /// <summary><c>folder/train</c> or <c>folder/test</c> when both exist, else the folder itself.</summary>
    private static string SplitFolder(string folder, string split)
    {
        var train = Path.Combine(folder, "train");
        var test = Path.Combine(folder, "test");
        return Directory.Exists(train) && Directory.Exists(test) ? Path.Combine(folder, split) : folder;
    }
}
