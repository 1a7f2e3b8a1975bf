namespace Advex.IO;

/// <summary>
/// Every file Advex reads (model files, data files, images, names files) must be a regular file or a symbolic link
/// to one: a device (<c>/dev/zero</c> never ends), a named pipe (a read blocks forever) or a socket is refused by
/// name before it is opened.
/// </summary>
public static class InputFile
{
    /// <summary>Throws naming <paramref name="what"/> and <paramref name="path"/> unless the path (its links followed)
    /// is a regular file; a missing file is left to the caller (false), whose message says what was expected.</summary>
    public static bool Exists(string path, string what)
    {
        var kind = Kind(path, what);
        if (kind == FileKind.Missing)
        {
            if (FileKinds.Of(path) == FileKind.SymbolicLink)
                throw new AdvexException($"{what} {path} is a symbolic link that leads to no file");
            return false;
        }
        if (kind != FileKind.Regular)
            throw new AdvexException($"{what} {path} is {kind.Describe()}, not a regular file");
        return true;
    }

    /// <summary>Throws unless <paramref name="path"/> is a regular file (or a link to one); missing included.</summary>
    public static void Require(string path, string what)
    {
        if (!Exists(path, what)) throw new AdvexException($"{what} not found: {path}");
    }

    /// <summary>Opens a regular file for reading, after <see cref="Require"/>.</summary>
    public static FileStream OpenRead(string path, string what)
    {
        Require(path, what);
        return File.OpenRead(path);
    }

    /// <summary>Reads a whole regular file, after <see cref="Require"/>; a file above <paramref name="limit"/> bytes (by
    /// default <see cref="Array.MaxLength"/>)
    /// is refused by name before it is read.</summary>
    public static byte[] ReadAllBytes(string path, string what, long limit = 0x7FFFFFC7)
    {
        using var stream = OpenRead(path, what);
        if (stream.Length > limit)
            throw new AdvexException($"{what} {path} has {stream.Length} bytes, more than the {limit} Advex reads");
        var bytes = new byte[stream.Length];
        var read = Fill(stream, bytes, 0, path);
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>Reads <paramref name="stream"/> into <paramref name="bytes"/> from <paramref name="offset"/> until the
    /// array is full or the stream ends, in chunks of 16 MiB with a SIGINT/SIGTERM check after each; returns the end
    /// of what was read.</summary>
    public static int Fill(Stream stream, byte[] bytes, int offset, string path)
    {
        var read = offset;
        while (read < bytes.Length)
        {
            var n = stream.Read(bytes, read, Math.Min(bytes.Length - read, 1 << 24));
            if (n == 0) break;
            read += n;
            Interruption.ThrowIfRequested(() => $"while reading {path}; nothing was written");
        }
        return read;
    }

    private static FileKind Kind(string path, string what)
    {
        try
        {
            return FileKinds.Of(path, followLinks: true);
        }
        catch (IOException e)
        {
            throw new AdvexException(FileKinds.Of(path) == FileKind.SymbolicLink
                ? $"{what} {path} is a symbolic link that never reaches a file (a loop)"
                : $"{what} {path}: {e.Message}");
        }
    }
}
