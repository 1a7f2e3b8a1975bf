namespace Advex.Models;

/// <summary>
/// Every model format <see cref="ModelStore.Load"/> reads, tried in order: the first whose predicate recognises the
/// path loads it. Each entry's description drives the CLI help and the message for a path none recognises, and the
/// contract suite (<c>ModelFormatContractTests</c>) iterates <see cref="All"/>. Adding a format is its file (a loader
/// and a <c>Format</c> entry, like <see cref="TorchScript"/>) plus one line here.
/// </summary>
public static class ModelFormatRegistry
{
    public static IReadOnlyList<ModelFormat> All { get; } =
    [
        NativeModel.Folder,
        NativeModel.Manifest,
        NativeModel.Weights,
        new("onnx", "an ONNX .onnx graph", ModelFormat.Extension(".onnx"), Onnx.OnnxModel.Load),
        TorchScript.Format,
    ];

    /// <summary>"a folder written by train (…), a native model.json, … or a TorchScript .pt (…)", for help text.</summary>
    public static string Help => Listing.Or(All.Select(f => f.Description));

    /// <summary>The first format that recognises <paramref name="path"/>, or null.</summary>
    public static ModelFormat? Recognise(string path) => All.FirstOrDefault(f => f.Recognises(path));

    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null)
    {
        if (!Directory.Exists(path) && !File.Exists(path)) throw new AdvexException($"model file not found: {path}");
        var format = Recognise(path)
                     ?? throw new AdvexException($"{path} is not in a model format Advex reads (expected {Help})");
        return format.Load(path, normalization, inputShape);
    }
}
