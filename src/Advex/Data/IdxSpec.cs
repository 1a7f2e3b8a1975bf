namespace Advex.Data;

/// <summary><c>idx:&lt;folder&gt;</c>: any folder with the four standard IDX files. IDX names no classes: they are
/// 0..classes−1 when a count is given, else inferred from the largest label.</summary>
public static class IdxSpec
{
    public const string Prefix = "idx:";

    public static DataSpec Entry { get; } = DataSpec.Prefix(Prefix, "<folder>", "the four standard IDX files, raw or gzipped",
        (folder, split, _, classes, options) =>
        {
            options.RefuseImageTransforms(Prefix + folder);
            options.RefuseLabel(Prefix + folder);
            if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
            var names = classes is { } k ? Enumerable.Range(0, k).Select(i => i.ToString()).ToArray() : null;
            return IdxFolder.Load(folder, split, names, Prefix + folder);
        });
}
