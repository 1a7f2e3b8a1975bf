namespace Advex.Data;

/// <summary>
/// The public-domain / CC0 photos embedded in Advex (<c>data/photos</c>: scikit-image's astronaut, chelsea, coffee and
/// rocket at 224×224; see its README), read as the unlabelled set <c>images:&lt;folder&gt;</c>.
/// </summary>
public static class Photos
{
    /// <summary>Where they live: next to the assembly (copied at build), else the repository's data/.</summary>
    public static string EmbeddedDir()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", "photos");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "photos");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new AdvexException("embedded photos not found (expected data/photos next to the program)");
    }
}
