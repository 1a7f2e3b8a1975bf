namespace Advex.Data;

using System.Buffers.Binary;
using System.IO.Compression;

/// <summary>An IDX array of unsigned bytes (the MNIST format): dimensions plus the flat data.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data)
{
    public int Count => Dims[0];
}

/// <summary>
/// Reads and writes IDX files (LeCun's MNIST format), raw or gzipped (detected by content, not by name).
/// Only unsigned-byte data (type 0x08) is supported, which is what image and label files use.
/// Every check names the file and what is wrong with it.
/// </summary>
public static class Idx
{
    private const byte UnsignedByte = 0x08;

    public static IdxArray Read(string path, int expectedRank)
    {
        if (!IO.InputFile.Exists(path, "IDX file")) throw new AdvexException($"IDX file not found: {path}");
        byte[] bytes;
        try
        {
            bytes = ReadMaybeGzipped(path);
        }
        catch (InvalidDataException e)
        {
            throw new AdvexException($"IDX file {path} is not valid gzip: {e.Message}");
        }
        return Parse(bytes, path, expectedRank);
    }

    internal static IdxArray Parse(byte[] bytes, string name, int expectedRank)
    {
        if (bytes.Length < 4) throw new AdvexException($"IDX file {name} is truncated: {bytes.Length} bytes, no header");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != UnsignedByte)
            throw new AdvexException(
                $"IDX file {name} has wrong magic number 0x{bytes[0]:x2}{bytes[1]:x2}{bytes[2]:x2}{bytes[3]:x2} " +
                $"(expected 0x0000{UnsignedByte:x2}{expectedRank:x2}: unsigned bytes, rank {expectedRank})");
        int rank = bytes[3];
        if (rank != expectedRank)
            throw new AdvexException($"IDX file {name} has rank {rank}, expected {expectedRank}");
        var header = 4 + 4 * rank;
        if (bytes.Length < header) throw new AdvexException($"IDX file {name} is truncated inside its header");
        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d <= 0) throw new AdvexException($"IDX file {name} has a non-positive dimension {d}");
            dims[i] = d;
            count = Math.Min(count * d, long.MaxValue / int.MaxValue); // saturates: never wraps to a plausible size
        }
        var payload = bytes.Length - header;
        if (payload != count)
            throw new AdvexException(
                $"IDX file {name} {(payload < count ? "is truncated" : "has trailing bytes")}: header " +
                $"[{string.Join(",", dims)}] needs {count} data bytes, file has {(payload < count ? payload : "more")}");
        return new IdxArray(dims, bytes.AsSpan(header).ToArray());
    }

    /// <summary>Writes an IDX file, gzipped when the path ends with .gz; atomically.</summary>
    public static void Write(string path, IdxArray array)
    {
        long count = 1;
        foreach (var d in array.Dims) count *= d;
        if (count != array.Data.Length)
            throw new ArgumentException($"dims [{string.Join(",", array.Dims)}] do not match {array.Data.Length} bytes");
        IO.AtomicFile.Write(path, tmp =>
        {
            using var file = File.Create(tmp);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal)
                ? new GZipStream(file, CompressionLevel.Optimal)
                : file;
            Span<byte> header = stackalloc byte[4];
            header[0] = 0;
            header[1] = 0;
            header[2] = UnsignedByte;
            header[3] = (byte)array.Dims.Length;
            stream.Write(header);
            foreach (var d in array.Dims)
            {
                BinaryPrimitives.WriteInt32BigEndian(header, d);
                stream.Write(header);
            }
            stream.Write(array.Data);
        });
    }

    /// <summary>The header and as many data bytes as the header declares, plus one when more follow (the parse then
    /// says "trailing bytes"): a gzip bomb or a header declaring terabytes is refused before anything is allocated
    /// for it, and a file is never read further than its header promises.</summary>
    private static byte[] ReadMaybeGzipped(string path)
    {
        using var file = IO.InputFile.OpenRead(path, "IDX file");
        Span<byte> magic = stackalloc byte[2];
        var gzipped = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic is [0x1f, 0x8b];
        file.Seek(0, SeekOrigin.Begin);
        using Stream stream = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
        var head = new byte[4];
        var got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got < 4 || head[0] != 0 || head[1] != 0) return head[..got];
        var header = new byte[4 + 4 * head[3]];
        head.CopyTo(header, 0);
        got = 4 + stream.ReadAtLeast(header.AsSpan(4), header.Length - 4, throwOnEndOfStream: false);
        if (got < header.Length) return header[..got];
        long count = 1;
        var dims = new int[head[3]];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * i));
            if (dims[i] <= 0) return header;
            count = Math.Min(count * dims[i], long.MaxValue / int.MaxValue);
        }
        if (count > Array.MaxLength - header.Length - 1)
            throw new AdvexException(
                $"IDX file {path} declares [{string.Join(",", dims)}]: more data bytes than the {Array.MaxLength - header.Length - 1} Advex reads");
        var bytes = new byte[header.Length + count + 1];
        header.CopyTo(bytes, 0);
        var read = IO.InputFile.Fill(stream, bytes, header.Length, path);
        return read == bytes.Length ? bytes : bytes[..read];
    }
}
