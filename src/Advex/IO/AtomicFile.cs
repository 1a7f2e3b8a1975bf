namespace Advex.IO;

/// <summary>
/// The one output writer: writes a file completely or not at all. The content goes to a temporary sibling of the
/// destination (<see cref="StaleTemps.NewName"/>), is flushed to disk, then renamed over the destination. Only a
/// regular file is ever replaced; a symbolic link is written through (see <see cref="OutputPath"/>). The temporary
/// file is removed on every failure path, and stale ones that killed processes left for the same destination are cleaned first.
/// </summary>
public static class AtomicFile
{
    /// <summary>Test hook: <c>NAME</c> or <c>NAME#K</c> makes the K-th write (default the first) of a file whose
    /// path ends with /NAME stop just before the rename, print a line on stderr and wait to be killed, so a test can
    /// kill a process inside a write.</summary>
    public const string PauseVariable = "ADVEX_TEST_PAUSE_BEFORE_RENAME";

    private static int pauseMatches;

    public static void Write(string path, Action<string> writeTo)
    {
        var target = OutputPath.ResolveFile(path);
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        StaleTemps.CleanFor(target);
        var tmp = StaleTemps.NewName(target);
        try
        {
            writeTo(tmp);
            using (var stream = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            PauseIfAsked(target, tmp);
            File.Move(tmp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    private static void PauseIfAsked(string target, string tmp)
    {
        if (Environment.GetEnvironmentVariable(PauseVariable) is not { Length: > 0 } hook) return;
        var (name, nth) = hook.Split('#') is [var n, var k] && int.TryParse(k, out var kth) ? (n, kth) : (hook, 1);
        if (!target.EndsWith(Path.DirectorySeparatorChar + name, StringComparison.Ordinal) ||
            Interlocked.Increment(ref pauseMatches) != nth) return;
        Console.Error.WriteLine($"advex-test: paused before renaming {tmp}");
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}
