namespace Advex.Native;

using System.Globalization;
using System.Runtime.InteropServices;

/// <summary>
/// The memory this process holds and may still take (Linux): resident set and its peak from
/// <c>/proc/self/status</c> (the peak reset through <c>/proc/self/clear_refs</c>), the memory the system can give
/// (<c>MemAvailable</c> of <c>/proc/meminfo</c>) and the room left under the process's cgroup limit (v2
/// <c>memory.max</c> or v1 <c>memory.limit_in_bytes</c>, usage less reclaimable file cache). Where a value cannot be
/// read, null.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in bytes (<c>VmRSS</c>).</summary>
    public static long? Resident() => StatusKiB("VmRSS:");

    /// <summary>Peak resident set size in bytes since start or the last <see cref="ResetPeak"/> (<c>VmHWM</c>).</summary>
    public static long? Peak() => StatusKiB("VmHWM:");

    /// <summary>Resets <see cref="Peak"/> to the current resident size; false when the kernel does not allow it.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Gives the C heap's free pages back to the system (glibc <c>malloc_trim</c>), so that the resident
    /// size counts live memory; a no-op where glibc is absent.</summary>
    public static void Trim()
    {
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>What this process could still take: the smaller of the system's available memory and the room left
    /// under its cgroup limit (null when neither can be read).</summary>
    public static long? Available()
    {
        var system = MemInfoKiB("MemAvailable:");
        var cgroup = CgroupRoom();
        return system is null ? cgroup : cgroup is null ? system : Math.Min(system.Value, cgroup.Value);
    }

    private static long? CgroupRoom()
    {
        try
        {
            foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
            {
                var parts = line.Split(':', 3);
                if (parts.Length != 3) continue;
                if (parts[0] == "0" && parts[1] == "")
                {
                    var dir = Candidates("/sys/fs/cgroup", parts[2]).FirstOrDefault(d => File.Exists(Path.Combine(d, "memory.max")));
                    if (dir is not null)
                        return Room(ReadLong(Path.Combine(dir, "memory.max")), ReadLong(Path.Combine(dir, "memory.current")),
                            StatValue(Path.Combine(dir, "memory.stat"), "inactive_file"));
                }
                else if (parts[1].Split(',').Contains("memory"))
                {
                    var dir = Candidates("/sys/fs/cgroup/memory", parts[2])
                        .FirstOrDefault(d => File.Exists(Path.Combine(d, "memory.limit_in_bytes")));
                    if (dir is not null)
                        return Room(ReadLong(Path.Combine(dir, "memory.limit_in_bytes")),
                            ReadLong(Path.Combine(dir, "memory.usage_in_bytes")),
                            StatValue(Path.Combine(dir, "memory.stat"), "total_inactive_file"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The cgroup's own folder, or its mount root (inside a container the path is often not visible).</summary>
    private static IEnumerable<string> Candidates(string mount, string path) =>
        [Path.Combine(mount, path.TrimStart('/')), mount];

    private static long? Room(long? limit, long? usage, long? reclaimable)
    {
        // no limit reads as "max" (v2) or a number near 2^63 (v1)
        if (limit is null || limit >= 1L << 60 || usage is null) return null;
        return Math.Max(0, limit.Value - usage.Value + (reclaimable ?? 0));
    }

    private static long? ReadLong(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : null;

    private static long? StatValue(string path, string key)
    {
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith(key + " ", StringComparison.Ordinal) &&
                long.TryParse(line[(key.Length + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                return v;
        return null;
    }

    private static long? StatusKiB(string key) => KiB("/proc/self/status", key);

    private static long? MemInfoKiB(string key) => KiB("/proc/meminfo", key);

    private static long? KiB(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var value = line[key.Length..].Trim();
                    if (value.EndsWith(" kB", StringComparison.Ordinal)) value = value[..^3];
                    return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v * 1024 : null;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
