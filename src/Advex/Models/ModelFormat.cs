namespace Advex.Models;

/// <summary>Loads a model from a path its <see cref="ModelFormat"/> recognised.</summary>
/// <param name="normalization">mean/std to apply inside the model, overriding any the file records; or null</param>
/// <param name="inputShape">[C,H,W] of one sample for formats that do not record it; or null for the format's default</param>
public delegate Classifier ModelLoader(string path, Normalization? normalization, long[]? inputShape);

/// <summary>
/// One entry of <see cref="ModelFormatRegistry"/>: a model format, how a path is recognised as one (the path exists,
/// as a file or a folder, when it is asked), its loader, and a one-line description for help text and messages.
/// </summary>
public sealed record ModelFormat(string Name, string Description, Func<string, bool> Recognises, ModelLoader Load)
{
    /// <summary>Recognises a file whose name ends with one of <paramref name="extensions"/> (any case).</summary>
    public static Func<string, bool> Extension(params string[] extensions) => path =>
        File.Exists(path) && extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
