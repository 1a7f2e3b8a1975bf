namespace Advex.IO;

/// <summary>
/// Where an output may go. A file output may only create or replace a regular file; a symbolic link is written
/// through (its final target is replaced, the link stays); devices, pipes, sockets and folders are refused.
/// A folder output must be a folder or not exist yet. <see cref="CheckFile"/> and <see cref="CheckFolder"/> also
/// prove the location writable by creating and removing a probe file, so a job can refuse before doing any work.
/// </summary>
public static class OutputPath
{
    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="folder"/> (both already
    /// normalized the same way: full or real paths).</summary>
    public static bool IsInside(string path, string folder) =>
        path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The file that writing <paramref name="path"/> really replaces (a link's final target).</summary>
    public static string ResolveFile(string path, string? parameter = null)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind == FileKind.SymbolicLink)
        {
            try
            {
                full = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException)
            {
                throw Refused(path, parameter, "a symbolic link that never reaches a file (a loop)");
            }
            kind = FileKinds.Of(full);
        }
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw Refused(path, parameter, $"{kind.Describe()}, not a regular file; it is never replaced");
        return full;
    }

    /// <summary>The longest name a file system takes (NAME_MAX), in bytes.</summary>
    public const int NameMax = 255;

    /// <summary>Refuses a file output that cannot be written, before any work: not a regular file, a name too long
    /// for its temporary sibling (<see cref="StaleTemps.AddedLength"/> bytes longer), or a folder that cannot be
    /// written.</summary>
    public static void CheckFile(string path, string parameter)
    {
        CheckNames(path, Path.GetFullPath(path), parameter);
        var target = ResolveFile(path, parameter);
        var name = System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(target));
        if (name + StaleTemps.AddedLength > NameMax)
            throw Refused(path, parameter, $"the file name is {name} bytes long; at most {NameMax - StaleTemps.AddedLength} " +
                $"fit (its temporary file beside it adds {StaleTemps.AddedLength} bytes, and a name holds at most {NameMax})");
        ProbeWritable(Path.GetDirectoryName(target)!, path, parameter);
    }

    /// <summary>Refuses a folder output that is not a folder or cannot be written, before any work.</summary>
    public static void CheckFolder(string path, string parameter)
    {
        var full = Path.GetFullPath(path);
        CheckNames(path, full, parameter);
        var kind = FileKinds.Of(full, followLinks: true);
        if (kind is not (FileKind.Missing or FileKind.Directory))
            throw Refused(path, parameter, $"{kind.Describe()}, not a folder");
        ProbeWritable(full, path, parameter);
    }

    /// <summary>Every folder name on the way must fit a file system's name limit.</summary>
    private static void CheckNames(string path, string full, string parameter)
    {
        foreach (var part in full.Split(Path.DirectorySeparatorChar))
            if (System.Text.Encoding.UTF8.GetByteCount(part) > NameMax)
                throw Refused(path, parameter, $"a name on the path is {System.Text.Encoding.UTF8.GetByteCount(part)} bytes long; at most {NameMax} fit");
    }

    private static void ProbeWritable(string dir, string path, string parameter)
    {
        var existing = dir;
        while (FileKinds.Of(existing, followLinks: true) == FileKind.Missing)
            existing = Path.GetDirectoryName(existing) ?? throw Refused(path, parameter, "not under any folder");
        if (FileKinds.Of(existing, followLinks: true) != FileKind.Directory)
            throw Refused(path, parameter, $"{existing} is a file, not a folder");
        var probe = StaleTemps.NewName(Path.Combine(existing, "advex-probe"));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, parameter, $"cannot create files in {existing}" +
                (e is UnauthorizedAccessException ? " (permission denied)" : ""));
        }
    }

    private static AdvexException Refused(string path, string? parameter, string why) =>
        new($"{(parameter is null ? "" : parameter + " ")}{path}: {why}");
}
