namespace Advex.Data;

/// <summary><c>fashion-mnist</c>: Zalando's Fashion-MNIST from the Debian package dataset-fashion-mnist, or the IDX
/// files in <c>dataDir</c>, with its ten class names.</summary>
public static class FashionMnist
{
    public const string SystemDir = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] Names =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static DataSpec Entry { get; } = DataSpec.Exact("fashion-mnist", "Debian's dataset-fashion-mnist, or a data folder",
        (spec, split, dataDir, classes, options) =>
        {
            options.RefuseImageTransforms(spec);
            options.RefuseLabel(spec);
            var names = IdxFolder.Named(Names, classes, spec);
            var folder = dataDir ?? SystemDir;
            if (!Directory.Exists(folder))
                throw new AdvexException(
                    $"Fashion-MNIST not found in {folder} (apt-get install dataset-fashion-mnist, or pass dataDir)");
            return IdxFolder.Load(folder, split, names, spec);
        });
}
