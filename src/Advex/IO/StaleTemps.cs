namespace Advex.IO;

using System.Text.RegularExpressions;
using Advex.Native;

/// <summary>
/// The temporary files of <see cref="AtomicFile"/>: <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> beside the
/// destination. A process killed mid-write (kill -9) leaves one behind; the next write of that destination removes
/// its stale temporaries, and the next run that locks an output folder removes those inside the folder. A stale
/// temporary is one whose process is gone (or that is a day old, in case the pid was reused).
/// Cleaning never leaves the folder and never follows a symbolic link: it walks real sub-folders only (a link to a
/// folder is not entered), removes only regular files owned by this user whose name is exactly the pattern, and
/// never touches anything else.
/// </summary>
public static partial class StaleTemps
{
    /// <summary>How deep below a locked folder cleaning looks (its sub-folders, e.g. <c>shards/shard-0</c>).</summary>
    public const int MaxDepth = 3;

    /// <summary>At most this many sub-folders are looked into, so that locking a huge folder stays quick.</summary>
    public const int MaxFolders = 1000;

    // name, then a pid (Linux pids have at most 7 digits), then the 32 lower-case hex digits of a Guid
    [GeneratedRegex(@"^\.([^/]+)\.([1-9][0-9]{0,6})\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Pattern();

    /// <summary>The bytes a temporary name adds to its destination's name (dot, pid, Guid, suffix).</summary>
    public const int AddedLength = 1 + 1 + 7 + 1 + 32 + 4;

    /// <summary>A fresh temporary name beside <paramref name="target"/>, owned by this process.</summary>
    public static string NewName(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!,
            $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes the stale temporaries of one destination file (only those named after it); returns how many.</summary>
    public static int CleanFor(string target)
    {
        var dir = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        return FileKinds.Of(dir) != FileKind.Directory ? 0 : CleanIn(dir, n => n == name);
    }

    /// <summary>Removes stale temporary files in <paramref name="dir"/> (and in its real sub-folders, down to
    /// <see cref="MaxDepth"/>, when recursive); returns how many. A <paramref name="dir"/> that is itself a link is
    /// not entered.</summary>
    public static int Clean(string dir, bool recursive = false)
    {
        if (FileKinds.Of(dir) != FileKind.Directory) return 0;
        var removed = CleanIn(dir, _ => true);
        var budget = MaxFolders;
        if (recursive) removed += CleanBelow(dir, 1, ref budget);
        return removed;
    }

    private static int CleanBelow(string dir, int depth, ref int budget)
    {
        if (depth > MaxDepth) return 0;
        var removed = 0;
        foreach (var sub in Entries(dir))
        {
            if (FileKinds.Of(sub) != FileKind.Directory) continue; // a link to a folder is never entered
            if (--budget < 0) return removed;
            removed += CleanIn(sub, _ => true) + CleanBelow(sub, depth + 1, ref budget);
        }
        return removed;
    }

    private static int CleanIn(string dir, Func<string, bool> forName)
    {
        var removed = 0;
        foreach (var file in Entries(dir))
        {
            var m = Pattern().Match(Path.GetFileName(file));
            if (!m.Success || !forName(m.Groups[1].Value) || !int.TryParse(m.Groups[2].Value, out var pid) ||
                pid == Environment.ProcessId) continue;
            if (!Posix.IsOwnRegularFile(file)) continue; // links, folders, devices, other users' files stay
            if (Posix.IsAlive(pid) && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow.AddDays(-1)) continue;
            try
            {
                File.Delete(file); // unlinks the name itself; it is a regular file, so nothing else is reached
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another process cleaned it first, or the folder is read-only: leave it
            }
        }
        return removed;
    }

    /// <summary>The entries directly inside <paramref name="dir"/>; none when it cannot be read.</summary>
    private static List<string> Entries(string dir)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions
            {
                RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true,
            }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
