namespace Advex.Data;

using Advex.IO;

/// <summary>
/// A class-names file: one name per line, line k naming class k (e.g. ImageNet's 1,000 in Debian
/// <c>opencv-doc</c>'s <c>classification_classes_ILSVRC2012.txt</c>, or CIFAR-10's <c>batches.meta.txt</c>). It must
/// be a regular file (or a link to one) of at most <see cref="MaxBytes"/> bytes, UTF-8, without empty lines between
/// names (blank lines at the end are ignored).
/// </summary>
public static class ClassNamesFile
{
    public const long MaxBytes = 4 << 20;

    /// <summary>The names, checked to number <paramref name="classes"/> when it is given.</summary>
    public static string[] Read(string path, int? classes = null)
    {
        var kind = FileKinds.Of(path, followLinks: true);
        if (kind != FileKind.Regular)
            throw AdvexException.About($"class-names {path} is {kind.Describe()}, not a regular file", "class-names");
        var size = new FileInfo(path).Length;
        if (size > MaxBytes)
            throw AdvexException.About($"class-names {path} has {size} bytes, more than the {MaxBytes} a names file may have", "class-names");
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AdvexException.About($"cannot read class-names {path}: {e.Message}", "class-names");
        }
        var lines = text.ReplaceLineEndings("\n").Split('\n').ToList();
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1); // trailing blank lines
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].Trim().Length == 0)
                throw AdvexException.About($"class-names {path}: line {i + 1} is empty (one name per line, line k naming class k-1)", "class-names");
        if (lines.Count == 0) throw AdvexException.About($"class-names {path} is empty", "class-names");
        if (classes is { } c && lines.Count != c)
            throw AdvexException.About($"class-names {path} names {lines.Count} classes, the model has {c}", "class-names");
        return [.. lines.Select(l => l.Trim())];
    }
}
