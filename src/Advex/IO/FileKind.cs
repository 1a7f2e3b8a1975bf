namespace Advex.IO;

using Advex.Native;

/// <summary>What a path is on disk; outputs may only replace a <see cref="Regular"/> file.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}

public static class FileKinds
{
    /// <summary>The kind of <paramref name="path"/> itself (a symlink is reported as such, not followed).</summary>
    public static FileKind Of(string path, bool followLinks = false) => Posix.FileType(path, followLinks) switch
    {
        0 => FileKind.Missing,
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        var t => throw new IOException($"{path} has an unknown file type {t:x}"),
    };

    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        _ => kind.ToString(),
    };
}
