namespace Advex.Tests.Support;

/// <summary>Locations of the repository's data and committed fixtures.</summary>
public static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");
    public static string TorchScript => Path.Combine(Fixtures, "torchscript");
    public static string IdxSmall => Path.Combine(Fixtures, "idx-small");

    /// <summary>A fresh empty folder under the system temp directory.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "advex-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Advex.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
