namespace Advex.IO;

using Advex.Native;

/// <summary>
/// An exclusive, OS-level lock on an output folder (<c>flock</c> on <c>.advex.lock</c>), held while a job writes the
/// folder and released when the process ends, kill -9 included. A second writer is refused with the holder's pid and
/// command line. Disposing removes the lock file, and the folder too when this lock created it and nothing else
/// was written (a job that failed on bad input leaves nothing behind).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".advex.lock";

    private readonly int fd;
    private readonly string lockPath;
    private readonly string folder;
    private readonly bool createdFolder;
    private bool disposed;

    private RunLock(int fd, string lockPath, string folder, bool createdFolder)
    {
        this.fd = fd;
        this.lockPath = lockPath;
        this.folder = folder;
        this.createdFolder = createdFolder;
    }

    /// <param name="folder">the output folder (created when missing)</param>
    /// <param name="command">what holds the lock, shown to a second writer (e.g. the command line)</param>
    public static RunLock Acquire(string folder, string command)
    {
        var full = Path.GetFullPath(folder);
        var created = FileKinds.Of(full, followLinks: true) == FileKind.Missing;
        Directory.CreateDirectory(full);
        var path = Path.Combine(full, FileName);
        while (true)
        {
            // a planted link would make the lock write into its target, outside the folder
            if (FileKinds.Of(path) is not (FileKind.Missing or FileKind.Regular) and var kind)
                throw new AdvexException($"{path} is {kind.Describe()}, not a lock file; remove it");
            if (Posix.LinkCount(path) > 1) // a hard link to a file elsewhere would be overwritten in place
                throw new AdvexException($"{path} has {Posix.LinkCount(path)} hard links, so it is not this folder's lock file; remove it");
            var fd = Posix.OpenOrCreate(path);
            if (!Posix.TryLockExclusive(fd))
            {
                var owner = Owner(path);
                Posix.Close(fd);
                throw new AdvexException(owner.Length == 2 && int.TryParse(owner[0], out var pid)
                    ? $"{folder} is in use by pid {pid} ({owner[1].Trim()})"
                    : $"{folder} is in use by another advex process");
            }
            // the previous holder removes the file while it still holds the lock: retry on the new file
            if (Posix.Inode(fd) != Posix.Inode(path))
            {
                Posix.Close(fd);
                continue;
            }
            Posix.Overwrite(fd, $"{Environment.ProcessId}\n{command}\n");
            StaleTemps.Clean(Native.Posix.RealPath(full), recursive: true);
            return new RunLock(fd, path, full, created);
        }
    }

    /// <summary>The holder's "pid\ncommand"; a holder that has just taken the lock writes it a moment later.</summary>
    private static string[] Owner(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var owner = Posix.ReadUnlocked(path).Split('\n', 2);
            if (owner.Length == 2 || attempt == 20) return owner;
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        File.Delete(lockPath);
        Posix.Close(fd);
        if (createdFolder && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }
}
