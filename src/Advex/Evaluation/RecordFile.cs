namespace Advex.Evaluation;

using System.Text;
using System.Text.Json;
using Advex.IO;

/// <summary>
/// <c>samples.jsonl</c>: one <see cref="SampleRecord"/> per line, appended and flushed to disk per batch. A process
/// killed while appending (or stopped by a full disk) leaves at most a torn last line (not valid JSON); reading
/// stops before it, and <see cref="Truncate"/> cuts the file back to the last complete line so the batch is redone.
/// Every other line must be a valid record of the evaluation (<see cref="RecordCheck"/>) and appear once: anything
/// else is an error naming the file and the line, on resume as on merge.
/// </summary>
public static class RecordFile
{
    public const string FileName = "samples.jsonl";

    /// <summary>The complete records and the byte length they occupy; a torn last line is not counted.</summary>
    /// <param name="config">the evaluation the records must belong to</param>
    /// <param name="shard">the folder's shard (null: all samples)</param>
    public static (List<SampleRecord> Records, long ValidLength) Read(string path, RunConfig config, Shard? shard)
    {
        var lineOf = new Dictionary<(long, int), int>();
        return Read<SampleRecord>(path, "sample record", (r, line) =>
        {
            if (RecordCheck.Problem(r, config, shard) is { } problem) return $": {problem}";
            if (lineOf.TryGetValue((r.Index, r.Run), out var first)) return $" repeats sample {r.Index} ({r.Attack}) of line {first}";
            lineOf[(r.Index, r.Run)] = line;
            return null;
        });
    }

    /// <summary>The complete records of any one-record-per-line file (a certification's too); <paramref name="problem"/>
    /// gives what is wrong with the record on a line (appended to "PATH line N"), or null.</summary>
    public static (List<TRecord> Records, long ValidLength) Read<TRecord>(string path, string what, Func<TRecord, int, string?> problem)
        where TRecord : class
    {
        var records = new List<TRecord>();
        if (!InputFile.Exists(path, "records file")) return (records, 0);
        var bytes = InputFile.ReadAllBytes(path, "records file");
        long valid = 0;
        var start = 0;
        var line = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            line++;
            var last = end < 0 || end == bytes.Length - 1;
            if (end < 0) end = bytes.Length; // no final newline: whole if it parses, else torn
            TRecord? r;
            try
            {
                r = JsonSerializer.Deserialize<TRecord>(bytes.AsSpan(start, end - start), RecordJson.Line);
            }
            catch (JsonException e)
            {
                if (last && !IsJson(bytes.AsSpan(start, end - start))) break; // a torn last line
                throw new AdvexException($"{path} line {line} is not a {what} ({JsonProblem.Describe(e)})");
            }
            if (r is null) throw new AdvexException($"{path} line {line} is not a {what} (null)");
            if (problem(r, line) is { } p) throw new AdvexException($"{path} line {line}{p}");
            records.Add(r);
            start = end + 1;
            valid = Math.Min(start, bytes.Length);
        }
        return (records, valid);
    }

    /// <summary>Whether the bytes are one whole JSON value (a torn line is not; a tampered one may be).</summary>
    private static bool IsJson(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            return JsonDocument.TryParseValue(ref reader, out var doc) && doc is not null && Dispose(doc);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Dispose(IDisposable d)
    {
        d.Dispose();
        return true;
    }

    /// <summary>Cuts the file to <paramref name="length"/> bytes (dropping a torn last line) and syncs it.</summary>
    public static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
        f.Flush(flushToDisk: true);
    }

    /// <summary>Appends records as complete lines and flushes them to disk (first ending a last line that lacks
    /// its newline).</summary>
    public static void Append<TRecord>(string path, IEnumerable<TRecord> records)
    {
        var text = new StringBuilder();
        if (EndsWithoutNewline(path)) text.Append('\n');
        foreach (var r in records) text.Append(JsonSerializer.Serialize(r, RecordJson.Line)).Append('\n');
        using var f = new FileStream(path, FileMode.Append, FileAccess.Write);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        f.Write(bytes);
        f.Flush(flushToDisk: true);
    }

    private static bool EndsWithoutNewline(string path)
    {
        using var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read);
        if (f.Length == 0) return false;
        f.Seek(-1, SeekOrigin.End);
        return f.ReadByte() != '\n';
    }

    /// <summary>The text of records in (index, run) order, for a merged folder (written atomically by the caller).</summary>
    public static string Text(IEnumerable<SampleRecord> records)
    {
        var text = new StringBuilder();
        foreach (var r in records.OrderBy(r => r.Index).ThenBy(r => r.Run))
            text.Append(JsonSerializer.Serialize(r, RecordJson.Line)).Append('\n');
        return text.ToString();
    }
}
