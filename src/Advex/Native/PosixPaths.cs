namespace Advex.Native;

using System.Runtime.InteropServices;

/// <summary>
/// POSIX calls for deciding whether a path may be touched: whether it is a regular file owned by this user (never
/// following a link), and the real path of a location (every link resolved), so that two spellings of one file are
/// recognised as the same. Linux only.
/// </summary>
internal static class PosixPaths
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxUid = 0x8;

    /// <summary>True when the path itself (not a link's target) is a regular file owned by the calling user.</summary>
    public static bool IsOwnRegularFile(string path)
    {
        var buf = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxUid, buf) != 0) return false;
        var mode = BitConverter.ToUInt16(buf, 28) & 0xF000;
        var uid = BitConverter.ToUInt32(buf, 20);
        return mode == 0x8000 && uid == geteuid();
    }

    /// <summary>The path with every symbolic link and <c>..</c> resolved; the part below the deepest existing folder
    /// is appended as written (it does not exist yet).</summary>
    public static string Real(string path)
    {
        var full = Path.GetFullPath(path);
        var rest = new Stack<string>();
        var existing = full;
        while (true)
        {
            var resolved = realpath(existing, IntPtr.Zero);
            if (resolved != IntPtr.Zero)
            {
                try
                {
                    var real = Marshal.PtrToStringUTF8(resolved)!;
                    while (rest.Count > 0) real = Path.Combine(real, rest.Pop());
                    return real;
                }
                finally
                {
                    free(resolved);
                }
            }
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buf);

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr p);
}
