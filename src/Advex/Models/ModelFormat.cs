namespace Advex.Models;

/// <summary>Loads a model from a path its <see cref="ModelFormat"/> recognised, with the options that apply to it
/// (<see cref="ModelFormatRegistry"/> has already refused an architecture or backend the format does not take).</summary>
public delegate Classifier ModelLoader(string path, ModelOptions options);

/// <summary>
/// One entry of <see cref="ModelFormatRegistry"/>: a model format, how a path is recognised as one (the path exists,
/// as a file or a folder, when it is asked), its loader, and a one-line description for help text and messages.
/// <see cref="TakesArchitecture"/> and <see cref="Backends"/> say which of <see cref="ModelOptions"/>' architecture
/// and backend it can use.
/// </summary>
public sealed record ModelFormat(string Name, string Description, Func<string, bool> Recognises, ModelLoader Load)
{
    /// <summary>True for weights-only formats that need an architecture to load into (PyTorch checkpoints).</summary>
    public bool TakesArchitecture { get; init; }

    /// <summary>The backends that can run this format; TorchSharp only unless the format says more.</summary>
    public IReadOnlyList<ModelBackend> Backends { get; init; } = [ModelBackend.Torch];

    /// <summary>Recognises a file whose name ends with one of <paramref name="extensions"/> (any case).</summary>
    public static Func<string, bool> Extension(params string[] extensions) => path =>
        File.Exists(path) && extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
