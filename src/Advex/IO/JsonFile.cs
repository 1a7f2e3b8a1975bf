namespace Advex.IO;

using System.Text;
using System.Text.Json;

/// <summary>
/// Reads a JSON file Advex did not necessarily write itself (a manifest, a run's records, a checkpoint's state, a
/// report input): only a regular file, of at most <see cref="Limit"/> bytes, read in interruptible chunks; malformed
/// JSON and a <c>null</c> document become one message naming the file and what it should have been.
/// </summary>
public static class JsonFile
{
    /// <summary>The largest JSON file read (256 MiB): Advex's own manifests, states and example files are far
    /// smaller, and a larger one (a crafted or sparse file) is refused before it is read into memory.</summary>
    public const long Limit = 256L << 20;

    /// <summary>The whole text of <paramref name="path"/>, after the checks of <see cref="InputFile"/>.</summary>
    public static string ReadText(string path, string what) =>
        Encoding.UTF8.GetString(InputFile.ReadAllBytes(path, what, Limit));

    /// <summary>Deserializes <paramref name="path"/> as <typeparamref name="T"/>; <paramref name="what"/> says what it
    /// should be ("run manifest", "training state").</summary>
    public static T Read<T>(string path, string what, JsonSerializerOptions? options = null)
    {
        var text = ReadText(path, what);
        try
        {
            return JsonSerializer.Deserialize<T>(text, options) is { } value
                ? value
                : throw new AdvexException($"{what} {path} is empty (null)");
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{what} {path} is not valid ({JsonProblem.Describe(e)})");
        }
    }
}
