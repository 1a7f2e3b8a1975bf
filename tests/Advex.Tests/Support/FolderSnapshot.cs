namespace Advex.Tests.Support;

using System.Security.Cryptography;

/// <summary>Every entry under a folder with its kind, size, content hash or link target: equal snapshots mean
/// nothing was written, replaced or left behind.</summary>
public static class FolderSnapshot
{
    public static string Take(string dir)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions
                 {
                     RecurseSubdirectories = true, AttributesToSkip = 0, ReturnSpecialDirectories = false,
                 }).Order(StringComparer.Ordinal))
        {
            var kind = Advex.IO.FileKinds.Of(path);
            var rel = Path.GetRelativePath(dir, path);
            lines.Add(kind switch
            {
                // a held run lock cannot be read by .NET (its readers take a shared flock); its size shows a change
                Advex.IO.FileKind.Regular when Path.GetFileName(path) == Advex.IO.RunLock.FileName =>
                    $"{rel} lock {new FileInfo(path).Length}",
                Advex.IO.FileKind.Regular => $"{rel} file {new FileInfo(path).Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}",
                Advex.IO.FileKind.SymbolicLink => $"{rel} link -> {new FileInfo(path).LinkTarget}",
                _ => $"{rel} {kind}",
            });
        }
        return string.Join('\n', lines);
    }
}
