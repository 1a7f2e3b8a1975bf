namespace Advex.Data;

using Advex.Data.Images;

/// <summary>
/// <c>images:&lt;folder&gt;</c>: one sub-folder per class, as torchvision's <c>ImageFolder</c> reads it. Classes are the
/// sub-folder names in ordinal order, samples the image files (<see cref="ImageDecoder.Extensions"/>) of each class
/// in ordinal order of their names, class by class; other files are skipped. A folder without sub-folders whose image
/// files sit directly in it is an unlabelled set (<see cref="Dataset.Labelled"/> false), its samples those files in
/// ordinal order of their names. When the folder has both
/// <c>train/</c> and <c>test/</c>, the split picks one, else the folder itself is the data of either split. The
/// images are decoded to RGB and transformed (<see cref="ImageTransforms"/>); they must then share one size, else
/// the first that differs is an error naming it. An empty class folder or an undecodable image is an error naming it.
/// </summary>
public static class ImageFolder
{
    public const string Prefix = "images:";

    public static DataSpec Entry { get; } = DataSpec.Prefix(Prefix, "<folder>",
        "one sub-folder of PNG/JPEG/BMP/WebP images per class, or the images directly in the folder (unlabelled)",
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
        if (classDirs.Length == 0) return LoadUnlabelled(spec, root, split, classes, options);
        var names = IdxFolder.Named(classDirs.Select(d => Path.GetFileName(d)!).ToArray(), classes, spec);
        if (names.Length < 2) throw new AdvexException($"data {spec}: {root} has one class folder, a classifier needs at least 2");
        var files = new List<(string Path, long Label)>();
        for (var c = 0; c < classDirs.Length; c++)
        {
            var images = ImagesIn(classDirs[c]);
            if (images.Count == 0)
                throw new AdvexException(
                    $"data {spec}: class folder {classDirs[c]} has no images ({string.Join(", ", ImageDecoder.Extensions)})");
            files.AddRange(images.Select(f => (f, (long)c)));
        }
        var (pixels, first) = Decode(files.Select(f => f.Path).ToList(), options, spec);
        return new Dataset(pixels, files.Select(f => f.Label).ToArray(), first.Channels, first.Height, first.Width, names,
            spec, split, labelSource: root)
        {
            Format = DataFormat.Images,
            SampleNames = files.Select(f => Path.GetRelativePath(root, f.Path)).ToArray(),
        };
    }

    /// <summary>A folder whose image files sit directly in it: an unlabelled set.</summary>
    private static Dataset LoadUnlabelled(string spec, string root, string split, int? classes, DataOptions options)
    {
        var files = ImagesIn(root);
        if (files.Count == 0)
            throw new AdvexException(
                $"data {spec}: {root} has neither class sub-folders nor images ({string.Join(", ", ImageDecoder.Extensions)})");
        if (classes is not null)
            throw new AdvexException($"data {spec}: {root} is unlabelled (its images sit directly in it), so it has no class count to check");
        var (pixels, first) = Decode(files, options, spec);
        return new Dataset(pixels, new long[files.Count], first.Channels, first.Height, first.Width, [], spec, split,
            labelSource: root)
        {
            Format = DataFormat.Images,
            SampleNames = files.Select(Path.GetFileName).ToArray()!,
        };
    }

    private static List<string> ImagesIn(string dir) =>
        Directory.GetFiles(dir).Where(ImageDecoder.IsImageFile).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();

    /// <summary>Decodes and transforms every file into one [N,C,H,W] byte array; the images must share one size.</summary>
    private static (byte[] Pixels, Planes First) Decode(List<string> files, DataOptions options, string spec)
    {
        Planes? first = null;
        string? firstPath = null;
        var pixels = Array.Empty<byte>();
        for (var i = 0; i < files.Count; i++)
        {
            Interruption.ThrowIfRequested(() => $"while reading {spec} ({i} of {files.Count} images); nothing was written");
            var image = ImageTransforms.Apply(ImageDecoder.DecodeRgb(files[i]), options);
            if (first is null)
            {
                (first, firstPath) = (image, files[i]);
                pixels = new byte[(long)files.Count * image.Data.Length];
            }
            else if ((image.Channels, image.Height, image.Width) != (first.Channels, first.Height, first.Width))
                throw new AdvexException(
                    $"image {files[i]} is {image.Width}×{image.Height}, but {firstPath} is {first.Width}×{first.Height} " +
                    "(after the transforms): give resize and center-crop to bring every image to one size");
            image.Data.CopyTo(pixels, (long)i * first.Data.Length);
        }
        return (pixels, first!);
    }

    /// <summary><c>folder/train</c> or <c>folder/test</c> when both exist, else the folder itself.</summary>
    private static string SplitFolder(string folder, string split)
    {
        var train = Path.Combine(folder, "train");
        var test = Path.Combine(folder, "test");
        return Directory.Exists(train) && Directory.Exists(test) ? Path.Combine(folder, split) : folder;
    }
}
