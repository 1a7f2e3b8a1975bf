namespace Advex.Models;

using System.Text.Json;
using Advex.IO;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Saves native models as weights (<c>model.bin</c>, TorchSharp format) plus a JSON manifest (<c>model.json</c>),
/// both written atomically, and loads any model a user can name: a TorchScript <c>.pt</c>, a native manifest or
/// weights file, or a folder written by <c>advex train</c> (its final model).
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

    /// <summary>Loads a model from a path: .pt (TorchScript), .onnx, model.json / model.bin, or a run folder.</summary>
    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null)
    {
        if (Directory.Exists(path))
        {
            var manifest = Path.Combine(path, ManifestName);
            if (File.Exists(manifest)) return LoadNative(manifest, normalization);
            var finalModel = Path.Combine(path, "final", ManifestName);
            if (File.Exists(finalModel)) return LoadNative(finalModel, normalization);
            throw new AdvexException($"no model in folder {path} (expected {ManifestName})");
        }
        if (!File.Exists(path)) throw new AdvexException($"model file not found: {path}");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return LoadNative(path, normalization);
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ManifestName);
            if (!File.Exists(manifest))
                throw new AdvexException(
                    $"model weights {path} have no {ManifestName} beside them (a native model is a {ManifestName} manifest plus its weights)");
            var named = ReadManifest(manifest).Weights;
            if (named != Path.GetFileName(path))
                throw new AdvexException($"model weights {path}: the {ManifestName} beside them names weights '{named}', not this file");
            return LoadNative(manifest, normalization);
        }
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return Onnx.OnnxModel.Load(path, normalization, inputShape);
        return TorchScript.Load(path, inputShape ?? [1, 28, 28], normalization);
    }

    public static ModelManifest ReadManifest(string manifestPath)
    {
        if (!File.Exists(manifestPath)) throw new AdvexException($"model manifest not found: {manifestPath}");
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), Json)
                   ?? throw new AdvexException($"model manifest {manifestPath} is empty");
        }
        catch (JsonException e)
        {
            throw new AdvexException($"model manifest {manifestPath} is not valid: {e.Message}");
        }
    }

    private static Classifier LoadNative(string manifestPath, Normalization? overrideNormalization)
    {
        var m = ReadManifest(manifestPath);
        if (m.Format != ModelManifest.CurrentFormat)
            throw new AdvexException($"model manifest {manifestPath} has format '{m.Format}', expected '{ModelManifest.CurrentFormat}'");
        var module = Architectures.Create(m.Architecture, m.InputShape, m.Classes);
        if (m.Weights is null || m.Weights.Length == 0 || m.Weights != Path.GetFileName(m.Weights) || m.Weights is "." or "..")
            throw new AdvexException(
                $"model manifest {manifestPath}: weights '{m.Weights}' must be a file name inside the model's folder");
        var weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, m.Weights);
        if (!File.Exists(weights)) throw new AdvexException($"model weights not found: {weights}");
        try
        {
            module.load(weights);
        }
        catch (Exception e) when (e is not AdvexException)
        {
            throw new AdvexException($"model weights {weights} do not match architecture {m.Architecture}: {e.Message}");
        }
        var normalization = overrideNormalization ??
                            (m.Normalization is { } n ? new Normalization(n.Mean, n.Std) : null);
        module.eval();
        return new Classifier(module, m.InputShape, m.Classes, normalization, m.Bounds[0], m.Bounds[1], "native",
            m.Architecture) { Source = manifestPath };
    }
}
