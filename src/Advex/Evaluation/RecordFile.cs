namespace Advex.Evaluation;

using System.Text;
using System.Text.Json;

/// <summary>
/// <c>samples.jsonl</c>: one <see cref="SampleRecord"/> per line, appended and flushed to disk per batch. A process
/// killed while appending leaves at most a torn last line (no final newline, or not valid JSON); reading stops
/// before it, and <see cref="Truncate"/> cuts the file back to the last complete line so the batch is redone.
/// </summary>
public static class RecordFile
{
    public const string FileName = "samples.jsonl";

    /// <summary>The complete records and the byte length they occupy; a torn last line is not counted.</summary>
    public static (List<SampleRecord> Records, long ValidLength) Read(string path) => Read<SampleRecord>(path);

    /// <summary>The complete records of any one-record-per-line file (a certification's too).</summary>
    public static (List<TRecord> Records, long ValidLength) Read<TRecord>(string path) where TRecord : class
    {
        var records = new List<TRecord>();
        if (!File.Exists(path)) return (records, 0);
        var bytes = File.ReadAllBytes(path);
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
                if (last) break; // a torn last line
                throw new AdvexException($"{path} line {line} is not a sample record: {e.Message}");
            }
            if (r is null) throw new AdvexException($"{path} line {line} is empty");
            records.Add(r);
            start = end + 1;
            valid = Math.Min(start, bytes.Length);
        }
        return (records, valid);
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
