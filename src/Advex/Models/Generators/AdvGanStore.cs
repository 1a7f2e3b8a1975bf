namespace Advex.Models;

using System.Text.Json;
using Advex.IO;
using Advex.Models;

/// <summary>
/// Saves AdvGAN generators like <see cref="ModelStore"/> saves models: weights (<c>generator.bin</c>) plus a JSON
/// manifest (<c>generator.json</c>), both atomic; loads from the manifest, the weights file or the folder written by
/// <c>advex advgan train</c>.
/// </summary>
public static class AdvGanStore
{
    public const string ManifestName = "generator.json";
    public const string WeightsName = "generator.bin";

    public static string Save(AdvGanGenerator generator, string dir, AdvGanManifest manifest)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.Write(Path.Combine(dir, manifest.Weights), tmp => generator.save(tmp));
        var path = Path.Combine(dir, ManifestName);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(manifest, ModelStore.Json));
        return path;
    }

    /// <summary>The generator (eval mode) and its manifest.</summary>
    public static (AdvGanGenerator Generator, AdvGanManifest Manifest) Load(string path)
    {
        Native.TorchRuntime.EnsureLoaded();
        var manifestPath = ManifestPath(path);
        AdvGanManifest manifest;
        manifest = IO.JsonFile.Read<AdvGanManifest>(manifestPath, "generator manifest", ModelStore.Json);
        if (manifest.Format != AdvGanManifest.CurrentFormat)
            throw new AdvexException($"{manifestPath} has format '{manifest.Format}', expected '{AdvGanManifest.CurrentFormat}' (an AdvGAN generator)");
        var weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, manifest.Weights);
        if (!IO.InputFile.Exists(weights, "generator weights")) throw new AdvexException($"generator weights not found: {weights}");
        var generator = new AdvGanGenerator(manifest.InputShape[0]);
        try
        {
            generator.load(weights);
        }
        catch (Exception e) when (e is not AdvexException)
        {
            generator.Dispose();
            throw new AdvexException($"generator weights {weights} do not match the AdvGAN generator: {e.Message}");
        }
        generator.eval();
        return (generator, manifest);
    }

    private static string ManifestPath(string path)
    {
        if (Directory.Exists(path))
        {
            var inside = Path.Combine(path, ManifestName);
            return File.Exists(inside)
                ? inside
                : throw new AdvexException($"no AdvGAN generator in folder {path} (expected {ManifestName}; train one with advex advgan train)");
        }
        if (!IO.InputFile.Exists(path, "generator file")) throw new AdvexException($"generator file not found: {path}");
        return path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ManifestName)
            : path;
    }
}
