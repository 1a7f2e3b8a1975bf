namespace Advex.Evaluation;

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Advex.Data;
using static TorchSharp.torch;

/// <summary>SHA-256 fingerprints that tie an evaluation folder to its model and data.</summary>
public static class Fingerprint
{
    /// <summary>A model file, or every file of a model folder (relative path and content, in ordinal order);
    /// <c>none</c> for a model that is not on disk (built in memory). A folder is walked without following links to
    /// folders (a link to a file counts with its target's content); hidden names, devices, FIFOs and sockets are
    /// skipped. Files are streamed, never loaded whole.</summary>
    public static string OfModel(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var kind = IO.FileKinds.Of(path, followLinks: true);
        if (kind == IO.FileKind.Directory)
        {
            foreach (var f in FilesOf(path).OrderBy(f => Path.GetRelativePath(path, f), StringComparer.Ordinal))
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, f) + "\n"));
                Append(sha, f);
            }
        }
        else if (kind == IO.FileKind.Regular) Append(sha, path);
        else return "none";
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static IEnumerable<string> FilesOf(string dir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            if (Path.GetFileName(entry).StartsWith('.')) continue;
            var own = IO.FileKinds.Of(entry);
            if (own == IO.FileKind.Directory)
                foreach (var f in FilesOf(entry)) yield return f;
            else if (IO.FileKinds.Of(entry, followLinks: true) == IO.FileKind.Regular)
                yield return entry; // a regular file, or a link to one; never a link to a folder
        }
    }

    private static void Append(IncrementalHash sha, string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0) sha.AppendData(buffer.AsSpan(0, n));
    }

    /// <summary>The evaluated samples as the model sees them: float32 pixels and int64 labels, in index order.</summary>
    public static string OfData(Dataset data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var idx in Batching.Sequential(data.Count, 1024))
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(idx);
            sha.AppendData(MemoryMarshal.AsBytes(x.contiguous().data<float>().ToArray().AsSpan()));
            sha.AppendData(MemoryMarshal.AsBytes(y.contiguous().data<long>().ToArray().AsSpan()));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
