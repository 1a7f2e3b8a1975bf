namespace Advex.Models;

/// <summary>
/// Advex's native format, a <c>model.json</c> manifest (architecture, input shape, classes, normalization, bounds)
/// plus the weights file it names, in the same folder (written by <see cref="ModelStore.Save"/>). A user can name it
/// three ways, each a <see cref="ModelFormatRegistry"/> entry: the folder, the manifest or the weights.
/// </summary>
public static class NativeModel
{
    /// <summary>A folder holding model.json, or a run folder whose final/model.json is its final model.</summary>
    public static ModelFormat Folder { get; } = new("native-folder",
        $"a folder written by train (its {ModelStore.ManifestName}, or final/{ModelStore.ManifestName})", Directory.Exists,
        (path, options) =>
        {
            var manifest = Path.Combine(path, ModelStore.ManifestName);
            if (File.Exists(manifest)) return Load(manifest, options.Normalization);
            var finalModel = Path.Combine(path, "final", ModelStore.ManifestName);
            if (File.Exists(finalModel)) return Load(finalModel, options.Normalization);
            throw new AdvexException($"no model in folder {path} (expected {ModelStore.ManifestName})");
        });

    public static ModelFormat Manifest { get; } = new("native-manifest", $"a native {ModelStore.ManifestName}",
        ModelFormat.Extension(".json"), (path, options) => Load(path, options.Normalization));

    /// <summary>The weights file, accepted when the model.json beside it names it.</summary>
    public static ModelFormat Weights { get; } = new("native-weights",
        $"native weights (.bin) with their {ModelStore.ManifestName} beside them", ModelFormat.Extension(".bin"),
        (path, options) =>
        {
            var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ModelStore.ManifestName);
            if (!File.Exists(manifest))
                throw new AdvexException(
                    $"model weights {path} have no {ModelStore.ManifestName} beside them (a native model is a {ModelStore.ManifestName} manifest plus its weights)");
            var named = ModelStore.ReadManifest(manifest).Weights;
            if (named != Path.GetFileName(path))
                throw new AdvexException(
                    $"model weights {path}: the {ModelStore.ManifestName} beside them names weights '{named}', not this file");
            return Load(manifest, options.Normalization);
        });

    /// <summary>The model a manifest describes, in eval mode; <paramref name="overrideNormalization"/> replaces the
    /// manifest's normalization when given.</summary>
    public static Classifier Load(string manifestPath, Normalization? overrideNormalization = null)
    {
        var m = ModelStore.ReadManifest(manifestPath);
        if (m.Format != ModelManifest.CurrentFormat)
            throw new AdvexException($"model manifest {manifestPath} has format '{m.Format}', expected '{ModelManifest.CurrentFormat}'");
        var module = Architectures.Create(m.Architecture, m.InputShape, m.Classes);
        if (m.Weights is null || m.Weights.Length == 0 || m.Weights != Path.GetFileName(m.Weights) || m.Weights is "." or "..")
            throw new AdvexException(
                $"model manifest {manifestPath}: weights '{m.Weights}' must be a file name inside the model's folder");
        var weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, m.Weights);
        if (!IO.InputFile.Exists(weights, "model weights")) throw new AdvexException($"model weights not found: {weights}");
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
