namespace Advex.Native;

using System.Runtime.InteropServices;

/// <summary>
/// The few POSIX calls .NET does not expose: the type of a file (regular, device, FIFO, ...), its inode, an advisory
/// exclusive lock that dies with the process (<c>flock</c>), whether a process id is alive, whether a file is a regular
/// file of this user, and a path's real path (links resolved). Linux only.
/// <c>statx</c> is used because its struct layout is the same on every Linux architecture.
/// </summary>
internal static class Posix
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxNlink = 0x4;
    private const int OReadWrite = 0x2;
    private const int OReadOnly = 0x0;
    private const int OCreate = 0x40;
    private const int OCloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int EWouldBlock = 11;
    private const int ENoSuchProcess = 3;
    private const int ENoEntry = 2;

    /// <summary>The <c>S_IFMT</c> bits of a path's mode (0 when it does not exist), following symlinks or not.</summary>
    public static int FileType(string path, bool followLinks)
    {
        var buf = new byte[256];
        if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buf) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ENoEntry || errno == 20 /* ENOTDIR */) return 0;
            throw new IOException($"cannot inspect {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return BitConverter.ToUInt16(buf, 28) & 0xF000;
    }

    /// <summary>The inode of an open descriptor, or of a path (0 when the path does not exist).</summary>
    public static ulong Inode(int fd) => InodeOf(fd, "", AtEmptyPath);

    public static ulong Inode(string path) => InodeOf(AtFdCwd, path, 0);

    private static ulong InodeOf(int dirfd, string path, int flags)
    {
        var buf = new byte[256];
        return statx(dirfd, path, flags, StatxIno, buf) == 0 ? BitConverter.ToUInt64(buf, 32) : 0;
    }

    /// <summary>Opens (creating) a file for reading and writing; throws with the reason on failure.</summary>
    public static int OpenOrCreate(string path)
    {
        var fd = open(path, OReadWrite | OCreate | OCloseOnExec, 0x1A4 /* 0644 */);
        if (fd < 0) throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return fd;
    }

    /// <summary>Takes an exclusive lock without waiting: true when taken, false when another process holds it.</summary>
    public static bool TryLockExclusive(int fd)
    {
        if (flock(fd, LockExclusive | LockNonBlocking) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EWouldBlock) return false;
        throw new IOException($"cannot lock: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Replaces the content of an open file.</summary>
    public static void Overwrite(int fd, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (ftruncate(fd, 0) != 0 || pwrite(fd, bytes, bytes.Length, 0) != bytes.Length)
            throw new IOException($"cannot write: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>Reads a small file without taking any lock (.NET's own readers take a shared flock).</summary>
    public static string ReadUnlocked(string path)
    {
        var fd = open(path, OReadOnly | OCloseOnExec, 0);
        if (fd < 0) return "";
        try
        {
            var buf = new byte[4096];
            var n = pread(fd, buf, buf.Length, 0);
            return n > 0 ? System.Text.Encoding.UTF8.GetString(buf, 0, (int)n) : "";
        }
        finally
        {
            _ = close(fd);
        }
    }

    public static void Close(int fd) => _ = close(fd);

    /// <summary>Whether a process with this id exists (a process of another user counts as alive).</summary>
    public static bool IsAlive(int pid) =>
        pid > 0 && (kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ENoSuchProcess);

    /// <summary>True when the path itself (not a link's target) is a regular file owned by the calling user.</summary>
    public static bool IsOwnRegularFile(string path)
    {
        var buf = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxUid, buf) != 0) return false;
        var mode = BitConverter.ToUInt16(buf, 28) & 0xF000;
        return mode == 0x8000 && BitConverter.ToUInt32(buf, 20) == geteuid();
    }

    /// <summary>How many names the file has (hard links; the path itself is not followed), 0 when it is missing.</summary>
    public static uint LinkCount(string path)
    {
        var buf = new byte[256];
        return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxNlink, buf) == 0 ? BitConverter.ToUInt32(buf, 16) : 0;
    }

    /// <summary>The path with every symbolic link and <c>..</c> resolved (so two spellings of one file compare equal);
    /// the part below the deepest existing folder is appended as written (it does not exist yet).</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var rest = new Stack<string>();
        for (var existing = full; ; existing = Path.GetDirectoryName(existing)!)
        {
            var resolved = realpath(existing, IntPtr.Zero);
            if (resolved != IntPtr.Zero)
            {
                var real = Marshal.PtrToStringUTF8(resolved)!;
                free(resolved);
                while (rest.Count > 0) real = Path.Combine(real, rest.Pop());
                return real;
            }
            if (Path.GetDirectoryName(existing) is null) return full;
            rest.Push(Path.GetFileName(existing));
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr p);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buf);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(int fd, long length);

    [DllImport("libc", SetLastError = true)]
    private static extern nint pwrite(int fd, byte[] buf, nint count, long offset);

    [DllImport("libc", SetLastError = true)]
    private static extern nint pread(int fd, byte[] buf, nint count, long offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
