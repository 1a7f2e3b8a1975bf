namespace Advex.Models.Checkpoints;

using System.IO.Compression;
using static TorchSharp.torch;

/// <summary>
/// A PyTorch <c>state_dict</c> (<c>torch.save(model.state_dict(), …)</c> as <c>.pt</c>/<c>.pth</c>, or a
/// <c>.safetensors</c> file) loaded into a named architecture (<see cref="CheckpointArchitectures"/>). A
/// <c>torch.save</c> file and a TorchScript file are both zip archives, often both named <c>.pt</c>: they are told
/// apart by content, TorchScript's archive holding <c>constants.pkl</c> and a <c>code/</c> folder, a
/// <c>state_dict</c>'s only <c>data.pkl</c> and its tensors' <c>data/</c>. A file saved with the legacy
/// (non-zip) <c>torch.save</c> is recognised by its pickle header, and refused with how to re-save it. A training
/// checkpoint's state_dict is found inside it (<see cref="StateDict.Read"/>), and a <c>module.</c> prefix
/// (DataParallel) is removed (<see cref="StateDict.WithoutPrefix"/>).
/// </summary>
public static class PyTorchCheckpoint
{
    public static ModelFormat Format { get; } = new("checkpoint",
        $"a PyTorch state_dict (.pt, .pth or .safetensors) with its architecture ({CheckpointArchitectures.Help})",
        Recognises, Load)
    {
        TakesArchitecture = true,
    };

    private static readonly string[] PickleExtensions = [".pt", ".pth", ".bin", ".ckpt"];

    public static bool Recognises(string path)
    {
        if (!File.Exists(path)) return false;
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return true;
        return Kind(path) switch
        {
            ArchiveKind.StateDict => true,
            ArchiveKind.LegacyPickle => PickleExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    public static Classifier Load(string path, ModelOptions options)
    {
        Native.TorchRuntime.EnsureLoaded();
        if (Kind(path) == ArchiveKind.LegacyPickle)
            throw new AdvexException(
                $"checkpoint {path} was written by the legacy torch.save format, which cannot be read without Python: " +
                "re-save it with torch.save(model.state_dict(), path) from PyTorch 1.6 or later");
        var name = options.Architecture ?? throw new AdvexException(
            $"{path} is a PyTorch state_dict (weights only): give the architecture it belongs to ({CheckpointArchitectures.Help})");
        var architecture = CheckpointArchitectures.Get(name);
        var (read, entry) = StateDict.Read(path, options.CheckpointKey);
        var (source, _) = StateDict.WithoutPrefix(read, architecture.HeadKey);
        try
        {
            var classes = options.Classes ?? ClassesOf(source, architecture);
            var shape = options.InputShape ?? architecture.DefaultInputShape;
            var module = Create(architecture, shape, classes);
            try
            {
                StateDict.Apply(module, source, path, architecture.Name);
                module.eval();
                return new Classifier(module, shape, classes, options.Normalization, kind: "checkpoint", architecture: architecture.Name)
                {
                    Source = path,
                    CheckpointEntry = entry,
                };
            }
            catch
            {
                module.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>The class count the checkpoint's output layer has (its weight's first dimension). Without that layer
    /// the checkpoint cannot fit, whatever the count: any will do for listing the differing keys.</summary>
    private static int ClassesOf(IReadOnlyDictionary<string, Tensor> source, CheckpointArchitecture architecture) =>
        source.TryGetValue(architecture.HeadKey, out var head) && head.dim() >= 1 && head.shape[0] >= 2 ? (int)head.shape[0] : 2;

    private static nn.Module<Tensor, Tensor> Create(CheckpointArchitecture architecture, long[] shape, int classes)
    {
        try
        {
            return architecture.Create(shape, classes);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new AdvexException(Native.NativeErrors.IsOutOfMemory(e.Message)
                ? $"architecture {architecture.Name} with inputs [{string.Join(",", shape)}] and {classes} classes needs more memory than there is: {Native.NativeErrors.OutOfMemory(e.Message)}"
                : $"architecture {architecture.Name} cannot take inputs [{string.Join(",", shape)}]: {Native.NativeErrors.Cause(e.Message)}", e);
        }
    }

    private enum ArchiveKind { Other, StateDict, TorchScript, LegacyPickle }

    /// <summary>What the file is by content: a torch.save zip, a TorchScript zip, a legacy pickle, or something else.</summary>
    private static ArchiveKind Kind(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 2) return ArchiveKind.Other;
            if (head[0] == 0x80 && head[1] is >= 2 and <= 5) return ArchiveKind.LegacyPickle;
            if (head is not [0x50, 0x4B, 0x03, 0x04]) return ArchiveKind.Other;
            file.Seek(0, SeekOrigin.Begin);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (names.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
                return ArchiveKind.TorchScript;
            return names.Any(n => n == "data.pkl" || n.EndsWith("/data.pkl", StringComparison.Ordinal))
                ? ArchiveKind.StateDict
                : ArchiveKind.Other;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return ArchiveKind.Other;
        }
    }
}
