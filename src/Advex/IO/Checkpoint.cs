namespace Advex.IO;

using System.Text.RegularExpressions;

/// <summary>
/// A checkpoint written as one unit. Every file of an epoch goes into a fresh generation folder
/// (<c>checkpoint/epoch-0003/</c>); only then does <c>checkpoint/current</c>, written atomically, name it. A process
/// killed at any moment therefore leaves the previous complete checkpoint or the new one, never a mix of epochs.
/// Older and half-written generations are removed after each commit.
/// </summary>
public static partial class Checkpoint
{
    public const string CurrentFile = "current";

    [GeneratedRegex(@"^epoch-\d{4,}$")]
    private static partial Regex GenerationName();

    /// <summary>Writes generation <paramref name="epoch"/> with <paramref name="write"/> (given its folder), then
    /// commits it.</summary>
    public static void Commit(string checkpointDir, int epoch, Action<string> write)
    {
        Directory.CreateDirectory(checkpointDir);
        var name = $"epoch-{epoch:D4}";
        var generation = Path.Combine(checkpointDir, name);
        if (Directory.Exists(generation)) Directory.Delete(generation, recursive: true);
        Directory.CreateDirectory(generation);
        write(generation);
        AtomicFile.WriteAllText(Path.Combine(checkpointDir, CurrentFile), name + "\n");
        foreach (var old in Directory.EnumerateDirectories(checkpointDir, "epoch-*"))
            if (Path.GetFileName(old) != name) Directory.Delete(old, recursive: true);
    }

    /// <summary>The folder holding the committed checkpoint's files, or null when nothing was committed. A
    /// checkpoint written before generations existed (files directly in the folder) is its own folder.</summary>
    public static string? Committed(string checkpointDir)
    {
        var current = Path.Combine(checkpointDir, CurrentFile);
        if (!File.Exists(current))
            return File.Exists(Path.Combine(checkpointDir, "state.json")) ? checkpointDir : null;
        var name = File.ReadAllText(current).Trim();
        if (!GenerationName().IsMatch(name) || !Directory.Exists(Path.Combine(checkpointDir, name)))
            throw new AdvexException($"checkpoint {current} names '{name}', which is not a checkpoint folder beside it");
        return Path.Combine(checkpointDir, name);
    }
}
