namespace Advex.Tests.Support;

using System.Security.Cryptography;

/// <summary>
/// A munged of the test's own: a fresh random key, and key, socket, pid, log and seed files under one folder, so
/// the system's munge (if any) is neither used nor disturbed. munged wants its key private and its socket folder
/// searchable by all.
/// </summary>
public static class MungeDaemon
{
    public static (Daemon Daemon, string Socket) Start(string dir, string munged)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("munged runs on Linux");
        var keyDir = Path.Combine(dir, "key");
        var runDir = Path.Combine(dir, "run");
        Directory.CreateDirectory(keyDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(runDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var key = Path.Combine(keyDir, "munge.key");
        using (var file = new FileStream(key, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
            file.Write(RandomNumberGenerator.GetBytes(1024));
        var socket = Path.Combine(runDir, "munge.socket");
        var log = Path.Combine(keyDir, "munged.log");
        var pid = Path.Combine(runDir, "munged.pid");
        var daemon = Daemon.Start("munged", munged,
            [$"--key-file={key}", $"--socket={socket}", $"--pid-file={pid}", $"--log-file={log}",
             $"--seed-file={Path.Combine(keyDir, "munged.seed")}"], pid, log);
        return (daemon, socket);
    }
}
