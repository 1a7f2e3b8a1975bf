namespace Advex.Tests.Support;

using System.Diagnostics;

/// <summary>
/// A daemon this test started, known by the pid file it wrote. <see cref="Dispose"/> stops it (SIGTERM, then SIGKILL
/// after <see cref="Grace"/>) and waits until it is gone, so nothing outlives the test.
/// </summary>
public sealed class Daemon(string name, string pidFile) : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public string Name => name;

    /// <summary>Starts a program that forks into the background and writes <paramref name="pidFile"/>; fails the
    /// test with the program's output and <paramref name="log"/> when it does not come up.</summary>
    public static Daemon Start(string name, string file, IEnumerable<string> args, string pidFile, string log)
    {
        var started = HostProcess.Run(file, args, timeout: TimeSpan.FromSeconds(30));
        var daemon = new Daemon(name, pidFile);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (started.ExitCode == 0 && daemon.Pid() is null && DateTime.UtcNow < deadline) Thread.Sleep(100);
        if (started.ExitCode != 0 || daemon.Pid() is null)
            throw new Xunit.Sdk.XunitException($"{name} did not start ({started}); log: {Tail(log)}");
        return daemon;
    }

    public int? Pid()
    {
        if (!File.Exists(pidFile)) return null;
        return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && Alive(pid) ? pid : null;
    }

    public void Dispose()
    {
        if (Pid() is not { } pid) return;
        Signal(pid, "TERM");
        var deadline = DateTime.UtcNow + Grace;
        while (Alive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        if (Alive(pid)) Signal(pid, "KILL");
        while (Alive(pid)) Thread.Sleep(50);
    }

    /// <summary>The last lines of a log file, for failure messages.</summary>
    public static string Tail(string log, int lines = 30) =>
        File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : $"({log} not written)";

    // A zombie (exited, not yet reaped by its parent) counts as gone.
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString()]);
        kill.WaitForExit();
    }
}
