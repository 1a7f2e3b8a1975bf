namespace Advex.Evaluation;

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Advex.Data;
using static TorchSharp.torch;

/// <summary>SHA-256 fingerprints that tie an evaluation folder to its model and data.</summary>
public static class Fingerprint
{
    /// <summary>A model file, or every file of a model folder (relative path and content, in ordinal order);
    /// <c>none</c> for a model that is not on disk (built in memory).</summary>
    public static string OfModel(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(path))
        {
            foreach (var f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                         .Where(f => !Path.GetFileName(f).StartsWith('.'))
                         .OrderBy(f => Path.GetRelativePath(path, f), StringComparer.Ordinal))
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, f) + "\n"));
                sha.AppendData(File.ReadAllBytes(f));
            }
        }
        else if (File.Exists(path)) sha.AppendData(File.ReadAllBytes(path));
        else return "none";
        return Convert.ToHexStringLower(sha.GetHashAndReset());
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
