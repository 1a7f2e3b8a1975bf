namespace Advex.Data;

/// <summary>
/// <c>cifar100:&lt;folder&gt;</c>: the CIFAR-100 binary version (<see cref="CifarBinary"/>, two label bytes per record:
/// coarse then fine). <c>train.bin</c> and <c>test.bin</c>; the label is the fine one (100 classes, names from
/// <c>fine_label_names.txt</c>) or, with <see cref="DataOptions.Label"/> <c>coarse</c>, the superclass (20, from
/// <c>coarse_label_names.txt</c>); without a names file the classes are numbered.
/// </summary>
public static class Cifar100
{
    public const string Prefix = "cifar100:";

    public static DataSpec Entry { get; } = DataSpec.Prefix(Prefix, "<folder>",
        "CIFAR-100 binary: train.bin, test.bin, fine|coarse labels",
        (folder, split, _, classes, options) =>
        {
            var spec = Prefix + folder;
            options.RefuseImageTransforms(spec);
            var coarse = options.Label == "coarse";
            var files = CifarBinary.Existing(folder, [split + ".bin"], $"CIFAR-100 {split} file");
            var (pixels, labels) = CifarBinary.Read(files, 2);
            var count = coarse ? 20 : 100;
            var names = CifarBinary.ReadNames(Path.Combine(folder, coarse ? "coarse_label_names.txt" : "fine_label_names.txt"))
                        ?? Enumerable.Range(0, count).Select(i => i.ToString()).ToArray();
            if (names.Length != count)
                throw new AdvexException(
                    $"{Path.Combine(folder, coarse ? "coarse_label_names.txt" : "fine_label_names.txt")} names {names.Length} classes, CIFAR-100 has {count}");
            names = IdxFolder.Named(names, classes, spec);
            return new Dataset(pixels, labels.Select(l => (long)l[coarse ? 0 : 1]).ToArray(), CifarBinary.Channels,
                CifarBinary.Side, CifarBinary.Side, names, spec, split, labelSource: files[0]) 
            {
                Format = DataFormat.Cifar100, RecordLabels = labels,
            };
        });
}
