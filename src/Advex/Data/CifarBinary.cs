namespace Advex.Data;

/// <summary>
/// The binary version of CIFAR-10 and CIFAR-100 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny
/// Images"): a file is a sequence of records, each <c>labelBytes</c> label bytes followed by 3,072 pixel bytes, a
/// 32×32 image stored as 1,024 red, 1,024 green and 1,024 blue bytes in row-major order. A file holds any number of
/// records (its length / record size); a length that is not a whole number of records is an error naming the file.
/// </summary>
public static class CifarBinary
{
    public const int Side = 32;
    public const int Channels = 3;
    public const int ImageBytes = Channels * Side * Side;

    /// <summary>The records of <paramref name="paths"/>, concatenated in the given order: pixels [N,3,32,32] as bytes
    /// and, per record, its <paramref name="labelBytes"/> label bytes.</summary>
    public static (byte[] Pixels, byte[][] Labels) Read(IReadOnlyList<string> paths, int labelBytes)
    {
        var record = labelBytes + ImageBytes;
        var files = paths.Select(p => (Path: p, Bytes: ReadFile(p))).ToList();
        foreach (var (path, bytes) in files)
            if (bytes.Length % record != 0)
                throw new AdvexException(
                    $"CIFAR file {path} has {bytes.Length} bytes, not a whole number of {record}-byte records " +
                    $"({labelBytes} label byte{(labelBytes == 1 ? "" : "s")} + {ImageBytes} pixels): truncated or not CIFAR binary");
        var count = files.Sum(f => f.Bytes.Length / record);
        if (files.FirstOrDefault(f => f.Bytes.Length == 0) is { Path: { } empty })
            throw new AdvexException($"CIFAR file {empty} is empty: it holds no {record}-byte records");
        if ((long)count * ImageBytes > Array.MaxLength)
            throw new AdvexException(
                $"CIFAR files {string.Join(", ", paths)} hold {count} records, more than the {Array.MaxLength / ImageBytes} Advex holds in memory");
        var pixels = new byte[(long)count * ImageBytes];
        var labels = new byte[count][];
        var n = 0;
        foreach (var (_, bytes) in files)
            for (var offset = 0; offset < bytes.Length; offset += record, n++)
            {
                labels[n] = bytes.AsSpan(offset, labelBytes).ToArray();
                bytes.AsSpan(offset + labelBytes, ImageBytes).CopyTo(pixels.AsSpan(n * ImageBytes));
            }
        return (pixels, labels);
    }

    /// <summary>Writes records (label bytes, then the image's 3,072 bytes) atomically.</summary>
    /// <param name="pixels">[N,3,32,32] bytes</param>
    public static void Write(string path, byte[] pixels, IReadOnlyList<byte[]> labels)
    {
        if (pixels.LongLength != (long)labels.Count * ImageBytes)
            throw new ArgumentException($"{labels.Count} records need {labels.Count * ImageBytes} pixel bytes, got {pixels.Length}");
        IO.AtomicFile.Write(path, tmp =>
        {
            using var file = File.Create(tmp);
            for (var i = 0; i < labels.Count; i++)
            {
                file.Write(labels[i]);
                file.Write(pixels, i * ImageBytes, ImageBytes);
            }
        });
    }

    /// <summary>The non-empty lines of a names file (<c>batches.meta.txt</c>, <c>fine_label_names.txt</c>), or null
    /// when it does not exist.</summary>
    public static string[]? ReadNames(string path) =>
        IO.InputFile.Exists(path, "class names file")
            ? System.Text.Encoding.UTF8.GetString(IO.InputFile.ReadAllBytes(path, "class names file", NamesLimit))
                .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : null;

    /// <summary>The largest names file read (CIFAR-100's is 1 KB).</summary>
    private const long NamesLimit = 1 << 20;

    /// <summary>The files of a split present in <paramref name="folder"/>, or an error naming what was expected.</summary>
    public static IReadOnlyList<string> Existing(string folder, IReadOnlyList<string> names, string what)
    {
        if (!Directory.Exists(folder)) throw new AdvexException($"data folder not found: {folder}");
        var found = names.Select(n => Path.Combine(folder, n)).Where(p => IO.InputFile.Exists(p, "CIFAR file")).ToList();
        return found.Count > 0 ? found : throw new AdvexException($"no {what} in {folder} (expected {string.Join(" or ", names)})");
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return IO.InputFile.ReadAllBytes(path, "CIFAR file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvexException($"cannot read CIFAR file {path}: {e.Message}");
        }
    }
}
