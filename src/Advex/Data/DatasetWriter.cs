namespace Advex.Data;

using Advex.Data.Images;

/// <summary>
/// Writes images derived from a dataset (the adversarial examples of <c>attack</c>) in the dataset's own format, so
/// the output folder is itself a dataset of that kind: IDX files for IDX data (<c>idx:</c>), a CIFAR binary
/// <c>test_batch.bin</c> with <c>batches.meta.txt</c> for <c>cifar10:</c> (or <c>test.bin</c> with the names files
/// for <c>cifar100:</c>, both label bytes kept), and a class-folder tree of PNGs for <c>images:</c>.
/// </summary>
public static class DatasetWriter
{
    public const string IdxImages = "adversarial-images-idx3-ubyte.gz";
    public const string IdxLabels = "adversarial-labels-idx1-ubyte.gz";
    public const string ImagesFolder = "images";

    /// <summary>Writes <paramref name="pixels"/> ([N,C,H,W] bytes, the samples of <paramref name="data"/> in order)
    /// into <paramref name="dir"/>; returns the data spec that reads them back.</summary>
    public static string Write(string dir, Dataset data, byte[] pixels)
    {
        Directory.CreateDirectory(dir);
        switch (data.Format)
        {
            case DataFormat.Cifar10:
                CifarBinary.Write(Path.Combine(dir, Cifar10.TestFile), pixels, data.RecordLabels!);
                IO.AtomicFile.WriteAllText(Path.Combine(dir, Cifar10.NamesFile), string.Join("\n", data.ClassNames) + "\n");
                return Cifar10.Prefix + dir;
            case DataFormat.Cifar100:
                CifarBinary.Write(Path.Combine(dir, "test.bin"), pixels, data.RecordLabels!);
                return Cifar100.Prefix + dir;
            case DataFormat.Images:
                WritePngs(Path.Combine(dir, ImagesFolder), data, pixels);
                return ImageFolder.Prefix + Path.Combine(dir, ImagesFolder);
            default:
                int[] dims = data.Channels == 1 ? [data.Count, data.Height, data.Width] : [data.Count, data.Channels, data.Height, data.Width];
                Idx.Write(Path.Combine(dir, IdxImages), new IdxArray(dims, pixels));
                Idx.Write(Path.Combine(dir, IdxLabels), new IdxArray([data.Count], data.LabelArray.Select(l => (byte)l).ToArray()));
                return $"{IdxImages} and {IdxLabels} in {dir}";
        }
    }

    /// <summary>One PNG per sample under its class folder, named like its source with the extension .png (the source
    /// name with .png appended when that would collide).</summary>
    private static void WritePngs(string root, Dataset data, byte[] pixels)
    {
        var size = data.Channels * data.Height * data.Width;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Count; i++)
        {
            var source = data.SampleNames?[i] ?? Path.Combine(data.ClassNames[data.LabelArray[i]], $"{i:D6}.png");
            var name = Path.ChangeExtension(source, ".png");
            if (!taken.Add(name)) taken.Add(name = source + ".png");
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageEncoder.SavePng(path, new Planes(data.Channels, data.Height, data.Width, pixels.AsSpan(i * size, size).ToArray()));
        }
        // an empty folder per class keeps the class list when read back; predicted labels are not the folder layout
        if (data.Labels == Dataset.LabelsFromDataset)
            foreach (var cls in data.ClassNames) Directory.CreateDirectory(Path.Combine(root, cls));
    }
}
