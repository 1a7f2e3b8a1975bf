namespace Advex.Models.Checkpoints;

using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

/// <summary>
/// A <c>.safetensors</c> file (Hugging Face's format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the data). Every declared size is checked before anything is allocated:
/// the header must fit in the file and be at most <see cref="MaxHeader"/> bytes (the format's own limit), and each
/// tensor's range must lie inside the data and hold exactly its shape's bytes.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>The largest header (the safetensors specification's limit, 100 MB).</summary>
    public const long MaxHeader = 100_000_000;

    /// <summary>The tensors by name, in the header's order; the caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var file = IO.InputFile.OpenRead(path, "checkpoint");
        Span<byte> head = stackalloc byte[8];
        if (file.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8)
            throw Bad(path, $"it has {file.Length} bytes, fewer than the 8 of its header length");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(head);
        if (length > (ulong)(file.Length - 8) || length > MaxHeader)
            throw Bad(path, $"its header claims {length} bytes, but the file has {file.Length - 8} after the length" +
                            (length > MaxHeader ? $" (and the format allows at most {MaxHeader})" : ""));
        var json = new byte[length];
        file.ReadExactly(json);
        var dataStart = 8 + (long)length;
        var dataLength = file.Length - dataStart;
        var entries = Entries(path, json, dataLength);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, dtype, shape, begin, end) in entries)
            {
                Interruption.ThrowIfRequested(() => $"while reading {path}; nothing was written");
                var bytes = new byte[end - begin];
                file.Seek(dataStart + begin, SeekOrigin.Begin);
                file.ReadExactly(bytes);
                var t = empty(shape, dtype);
                if (bytes.Length > 0) t.bytes = bytes;
                result[name] = t;
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private static List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)> Entries(string path, byte[] json, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"its header is not JSON ({e.Message})");
        }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "its header is not a JSON object");
        var list = new List<(string, ScalarType, long[], long, long)>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__") continue;
            var e = p.Value;
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String
                || !e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array
                || !e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
                throw Bad(path, $"tensor '{p.Name}' lacks its dtype, shape or data_offsets");
            var (dtype, size) = DType(path, p.Name, dt.GetString()!);
            var shape = sh.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray();
            var range = off.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray();
            if (shape.Any(d => d < 0) || range.Any(d => d < 0))
                throw Bad(path, $"tensor '{p.Name}' has a shape or offsets that are not non-negative integers");
            var bytes = shape.Aggregate(size, (a, d) => a == 0 || d == 0 ? 0 : a > long.MaxValue / d ? long.MaxValue : a * d);
            if (range[0] > range[1] || range[1] > dataLength || range[1] - range[0] != bytes)
                throw Bad(path, $"tensor '{p.Name}' [{string.Join(",", shape)}] {dt.GetString()} needs {bytes} bytes, " +
                                $"but its data_offsets [{range[0]},{range[1]}] {(range[1] > dataLength ? $"pass the end of the data ({dataLength} bytes)" : "hold " + (range[1] - range[0]))}");
            list.Add((p.Name, dtype, shape, range[0], range[1]));
        }
        return list;
    }

    private static (ScalarType, long) DType(string path, string name, string dtype) => dtype switch
    {
        "F64" => (ScalarType.Float64, 8),
        "F32" => (ScalarType.Float32, 4),
        "F16" => (ScalarType.Float16, 2),
        "BF16" => (ScalarType.BFloat16, 2),
        "I64" => (ScalarType.Int64, 8),
        "I32" => (ScalarType.Int32, 4),
        "I16" => (ScalarType.Int16, 2),
        "I8" => (ScalarType.Int8, 1),
        "U8" => (ScalarType.Byte, 1),
        "BOOL" => (ScalarType.Bool, 1),
        _ => throw Bad(path, $"tensor '{name}' has dtype {dtype}, which Advex does not read"),
    };

    private static AdvexException Bad(string path, string what) => new($"checkpoint {path} cannot be read as safetensors: {what}");
}
