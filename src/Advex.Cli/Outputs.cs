namespace Advex.Cli;

using Advex.IO;

/// <summary>
/// Claims a command's outputs before any work: every output file (<c>--json</c>, ...) must be writable and a regular
/// file or missing, and the output folder (<c>--out</c>, <c>--report</c>) must be a writable folder; the folders are
/// then locked against a second writer until the returned handle is disposed.
/// </summary>
public static class Outputs
{
    public static IDisposable Claim(Ui ui, IEnumerable<(string? Path, string Option)> folders,
        IEnumerable<(string? Path, string Option)>? files = null)
    {
        foreach (var (path, option) in files ?? [])
            if (path != null) OutputPath.CheckFile(path, option);
        var wanted = folders.Where(f => f.Path != null).ToList();
        foreach (var (path, option) in wanted) OutputPath.CheckFolder(path!, option);
        var locks = new List<RunLock>();
        try
        {
            foreach (var path in wanted.Select(f => f.Path!).DistinctBy(Path.GetFullPath))
                locks.Add(RunLock.Acquire(path, ui.CommandLine));
        }
        catch
        {
            foreach (var l in locks) l.Dispose();
            throw;
        }
        return new Locks(locks);
    }

    /// <summary>One output folder and optional output files.</summary>
    public static IDisposable Claim(Ui ui, string? folder, string folderOption, params (string? Path, string Option)[] files) =>
        Claim(ui, [(folder, folderOption)], files);

    private sealed class Locks(List<RunLock> locks) : IDisposable
    {
        public void Dispose()
        {
            for (var i = locks.Count - 1; i >= 0; i--) locks[i].Dispose();
        }
    }
}
