namespace Advex.Data;

/// <summary>
/// <c>cifar10:&lt;folder&gt;</c>: the CIFAR-10 binary version (<see cref="CifarBinary"/>, one label byte per record).
/// The train split is every <c>data_batch_N.bin</c> in order of N, the test split <c>test_batch.bin</c>; class names
/// come from <c>batches.meta.txt</c> (one per line), else they are 0..9.
/// </summary>
public static class Cifar10
{
    public const string Prefix = "cifar10:";
    public const string TestFile = "test_batch.bin";
    public const string NamesFile = "batches.meta.txt";

    public static DataSpec Entry { get; } = DataSpec.Prefix(Prefix, "<folder>",
        "CIFAR-10 binary: data_batch_*.bin, test_batch.bin, batches.meta.txt",
        (folder, split, _, classes, options) =>
        {
            var spec = Prefix + folder;
            options.RefuseImageTransforms(spec);
            options.RefuseLabel(spec);
            var files = split == "train" ? TrainFiles(folder) : CifarBinary.Existing(folder, [TestFile], "CIFAR-10 test batch");
            var (pixels, labels) = CifarBinary.Read(files, 1);
            var names = CifarBinary.ReadNames(Path.Combine(folder, NamesFile)) ?? Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
            names = IdxFolder.Named(names, classes, spec);
            return new Dataset(pixels, labels.Select(l => (long)l[0]).ToArray(), CifarBinary.Channels, CifarBinary.Side,
                CifarBinary.Side, names, spec, split, labelSource: string.Join(", ", files)) 
            {
                Format = DataFormat.Cifar10, RecordLabels = labels,
            };
        });

    /// <summary>data_batch_N.bin for every N present, in numeric order.</summary>
    public static IReadOnlyList<string> TrainFiles(string folder)
    {
        if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
        var files = Directory.GetFiles(folder, "data_batch_*.bin")
            .Select(p => (Path: p, N: int.TryParse(Path.GetFileNameWithoutExtension(p)["data_batch_".Length..], out var n) ? n : -1))
            .Where(f => f.N >= 0).OrderBy(f => f.N).Select(f => f.Path).ToList();
        return files.Count > 0 ? files : throw new AdvexException($"no CIFAR-10 train batches in {folder} (expected data_batch_1.bin ...)");
    }
}
