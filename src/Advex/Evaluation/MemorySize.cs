namespace Advex.Evaluation;

using System.Globalization;

/// <summary>A number of bytes as people write it: <c>4G</c>, <c>512M</c>, <c>1.5GiB</c>, <c>800000000</c> (binary
/// units: K = 1024).</summary>
public static class MemorySize
{
    public static long Parse(string text, string parameter)
    {
        var s = text.Trim();
        var units = new (string Suffix, long Factor)[]
        {
            ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
            ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10),
            ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1),
        };
        var factor = 1L;
        foreach (var (suffix, f) in units)
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                (s, factor) = (s[..^suffix.Length].Trim(), f);
                break;
            }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0 ||
            v * factor > long.MaxValue / 2)
            throw AdvexException.About($"{parameter} must be a positive size such as 4G, 512M or 800000000 (got '{text}')", parameter);
        return (long)(v * factor);
    }

    /// <summary>Bytes as <c>3.2 GiB</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KiB",
    };
}
