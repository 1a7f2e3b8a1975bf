namespace Advex.Models.Checkpoints;

using System.IO.Compression;
using static TorchSharp.torch;

/// <summary>
/// A <c>torch.save</c> zip archive (<c>NAME/data.pkl</c> plus one <c>NAME/data/KEY</c> entry per storage), read
/// without Python: the pickle with <see cref="PickleReader"/> (no code, bounded work), then only the tensors the
/// caller asks for. Every declared size is checked against the bytes the archive really holds before anything is
/// allocated: a storage entry must hold the elements its persistent id declares, a tensor's view must lie inside its
/// storage and hold no more values than it, and an entry compressed more than <see cref="MaxRatio"/>:1 is refused as
/// a zip bomb.
/// </summary>
public sealed class TorchArchive : IDisposable
{
    /// <summary>The largest expansion of a compressed entry (torch.save stores entries uncompressed).</summary>
    public const long MaxRatio = 100;

    private readonly string path;
    private readonly ZipArchive zip;
    private readonly string prefix;
    private readonly Dictionary<string, ZipArchiveEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> storages = new(StringComparer.Ordinal);

    public object? Root { get; }

    public TorchArchive(string path)
    {
        this.path = path;
        var file = IO.InputFile.OpenRead(path, "checkpoint");
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            file.Dispose();
            throw new AdvexException($"checkpoint {path} is not a valid zip archive: {e.Message}");
        }
        try
        {
            foreach (var e in zip.Entries) entries.TryAdd(e.FullName, e);
            var pickles = entries.Keys.Where(n => n == "data.pkl" || (n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.Count(c => c == '/') == 1)).ToList();
            if (pickles.Count != 1)
                throw new AdvexException($"checkpoint {path} is not a torch.save archive: it has {pickles.Count} data.pkl entries, not one");
            prefix = pickles[0][..^"data.pkl".Length];
            Root = new PickleReader(Read(entries[pickles[0]], PickleReader.MaxBytes), path, Storage).Read();
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>The tensor <paramref name="reference"/> describes, as <c>torch.load</c> would make it; the caller
    /// disposes it. <paramref name="key"/> names it in messages.</summary>
    public Tensor Materialize(TensorRef reference, string key)
    {
        var s = reference.Storage;
        if (reference.Shape.Length != reference.Stride.Length || reference.Shape.Any(d => d < 0) || reference.Stride.Any(d => d < 0) || reference.Offset < 0)
            throw new AdvexException($"checkpoint {path}: tensor '{key}' has an invalid shape [{string.Join(",", reference.Shape)}], " +
                                     $"stride [{string.Join(",", reference.Stride)}] or offset {reference.Offset}");
        long values = 1, last = reference.Offset;
        for (var i = 0; i < reference.Shape.Length; i++)
        {
            values = Saturating(values, reference.Shape[i]);
            last = SaturatingAdd(last, Saturating(Math.Max(0, reference.Shape[i] - 1), reference.Stride[i]));
        }
        if (values > 0 && (last >= s.Elements || values > s.Elements))
            throw new AdvexException(
                $"checkpoint {path}: tensor '{key}' declares shape [{string.Join(",", reference.Shape)}] ({values} values), " +
                $"beyond its storage data/{s.Key} of {s.Elements} values");
        if (!storages.TryGetValue(s.Key, out var storage))
        {
            var entry = entries[prefix + "data/" + s.Key];
            var bytes = Read(entry, Array.MaxLength);
            var size = ElementSize(s.DType);
            if (bytes.LongLength < s.Elements * size)
                throw new AdvexException(
                    $"checkpoint {path}: storage data/{s.Key} holds {bytes.LongLength} bytes, but declares {s.Elements} {s.DType} values ({s.Elements * size} bytes)");
            storage = empty(s.Elements, s.DType);
            if (s.Elements > 0) storage.bytes = bytes.AsSpan(0, (int)(s.Elements * size));
            storages[s.Key] = storage;
        }
        return storage.as_strided(reference.Shape, reference.Stride, reference.Offset).clone();
    }

    /// <summary>A persistent id <c>('storage', torch.FloatStorage, '0', 'cpu', numel)</c>: checked against the
    /// archive, not yet read.</summary>
    private StorageRef Storage(PickleTuple pid)
    {
        var a = pid.Items;
        if (a.Length < 5 || a[0] is not "storage" || a[1] is not PickleGlobal type || a[2] is not string key || a[4] is not long elements || elements < 0)
            throw new AdvexException($"checkpoint {path} is not a valid torch.save file: a persistent id that is not a tensor storage");
        var dtype = DType(type);
        if (!entries.TryGetValue(prefix + "data/" + key, out var entry))
            throw new AdvexException($"checkpoint {path} lacks the storage data/{key} that its tensors refer to (a damaged or incomplete archive)");
        var bytes = Saturating(elements, ElementSize(dtype));
        if (entry.Length < bytes)
            throw new AdvexException(
                $"checkpoint {path}: storage data/{key} declares {elements} {type.Name[..^"Storage".Length]} values ({bytes} bytes), but holds {entry.Length} bytes");
        return new StorageRef(key, dtype, elements);
    }

    private ScalarType DType(PickleGlobal type) => (type.Module, type.Name) switch
    {
        ("torch", "FloatStorage") => ScalarType.Float32,
        ("torch", "DoubleStorage") => ScalarType.Float64,
        ("torch", "HalfStorage") => ScalarType.Float16,
        ("torch", "BFloat16Storage") => ScalarType.BFloat16,
        ("torch", "LongStorage") => ScalarType.Int64,
        ("torch", "IntStorage") => ScalarType.Int32,
        ("torch", "ShortStorage") => ScalarType.Int16,
        ("torch", "CharStorage") => ScalarType.Int8,
        ("torch", "ByteStorage") => ScalarType.Byte,
        ("torch", "BoolStorage") => ScalarType.Bool,
        ("torch", "ComplexFloatStorage") => ScalarType.ComplexFloat32,
        ("torch", "ComplexDoubleStorage") => ScalarType.ComplexFloat64,
        _ => throw new AdvexException($"checkpoint {path} holds a storage of type {type}, which Advex does not read"),
    };

    private static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    /// <summary>An entry's bytes, refusing an entry larger than <paramref name="limit"/> or compressed beyond
    /// <see cref="MaxRatio"/>:1 before reading it; SIGINT/SIGTERM are checked between chunks.</summary>
    private byte[] Read(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
            throw new AdvexException($"checkpoint {path}: entry {entry.FullName} has {entry.Length} bytes, more than the {limit} Advex reads");
        if (entry.Length > (1 << 20) && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio)
            throw new AdvexException(
                $"checkpoint {path}: entry {entry.FullName} expands {entry.CompressedLength} bytes to {entry.Length} (refused as a zip bomb)");
        var bytes = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            var read = IO.InputFile.Fill(stream, bytes, 0, path);
            if (read < bytes.Length)
                throw new AdvexException($"checkpoint {path}: entry {entry.FullName} is truncated ({read} of {bytes.Length} bytes)");
        }
        catch (InvalidDataException e)
        {
            throw new AdvexException($"checkpoint {path}: entry {entry.FullName} is corrupt: {e.Message}");
        }
        return bytes;
    }

    private static long Saturating(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    public void Dispose()
    {
        foreach (var s in storages.Values) s.Dispose();
        storages.Clear();
        zip.Dispose();
    }
}
