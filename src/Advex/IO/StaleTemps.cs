namespace Advex.IO;

using System.Text.RegularExpressions;
using Advex.Native;

/// <summary>
/// The temporary files of <see cref="AtomicFile"/>: <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> beside the
/// destination. A process killed mid-write (kill -9) leaves one behind; the next write in that folder, or the next
/// run that locks it, removes those whose process is gone (or that are a day old, in case the pid was reused).
/// </summary>
public static partial class StaleTemps
{
    [GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Pattern();

    /// <summary>A fresh temporary name beside <paramref name="target"/>, owned by this process.</summary>
    public static string NewName(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!,
            $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes stale temporary files in <paramref name="dir"/> (and below it when recursive); returns how many.</summary>
    public static int Clean(string dir, bool recursive = false)
    {
        if (!Directory.Exists(dir)) return 0;
        var removed = 0;
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp", option))
        {
            var m = Pattern().Match(Path.GetFileName(file));
            if (!m.Success || !int.TryParse(m.Groups[1].Value, out var pid) || pid == Environment.ProcessId) continue;
            if (Posix.IsAlive(pid) && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow.AddDays(-1)) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException)
            {
                // another process cleaned it first
            }
        }
        return removed;
    }
}
