namespace Advex.Models;

using System.Text.Json;
using Advex.IO;

/// <summary>
/// Saves native models as weights (<c>model.bin</c>, TorchSharp format) plus a JSON manifest (<c>model.json</c>),
/// both written atomically, and loads any model a user can name: a TorchScript <c>.pt</c>, a native manifest or
/// weights file, or a folder written by <c>advex train</c> (its final model), through <see cref="ModelFormatRegistry"/>.
/// </summary>
public static class ModelStore
{
    public const string ManifestName = "model.json";
    public const string WeightsName = "model.bin";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Saves into <paramref name="dir"/>/model.bin and model.json; returns the manifest path.</summary>
    public static string Save(Classifier model, string dir, ModelManifest manifest)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.Write(Path.Combine(dir, manifest.Weights), tmp => model.Module.save(tmp));
        var manifestPath = Path.Combine(dir, ManifestName);
        AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, Json));
        return manifestPath;
    }

    public static ModelManifest ManifestFor(Classifier model, string[]? classNames = null) => new()
    {
        Architecture = model.Architecture ?? throw new InvalidOperationException("only native models have a manifest"),
        InputShape = model.InputShape,
        Classes = model.Classes,
        ClassNames = classNames,
        Normalization = model.Normalization is { } n ? new NormalizationJson(n.Mean, n.Std) : null,
        Bounds = [model.Lower, model.Upper],
        Weights = WeightsName,
    };

    /// <summary>Loads a model from a path in any format of <see cref="ModelFormatRegistry"/>: a train output folder,
    /// model.json / model.bin, an ONNX .onnx or a TorchScript .pt.</summary>
    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null) =>
        ModelFormatRegistry.Load(path, normalization, inputShape);

    /// <summary>Loads a model with every option (architecture and classes for a PyTorch checkpoint, the ONNX Runtime
    /// backend for an ONNX graph) through <see cref="ModelFormatRegistry"/>.</summary>
    public static Classifier Load(string path, ModelOptions options) => ModelFormatRegistry.Load(path, options);

    public static ModelManifest ReadManifest(string manifestPath)
    {
        // JsonFile refuses a missing or special file by name ("model manifest not found: …")
        return IO.JsonFile.Read<ModelManifest>(manifestPath, "model manifest", Json);
    }
}
