namespace Advex.Models;

/// <summary>
/// Every model format <see cref="ModelStore.Load(string, ModelOptions)"/> reads, tried in order: the first whose predicate recognises the
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
        Onnx.OnnxModel.Format,
        Checkpoints.PyTorchCheckpoint.Format, // before TorchScript: both are .pt zips, told apart by content
        TorchScript.Format,
    ];

    /// <summary>"a folder written by train (…), a native model.json, … or a TorchScript .pt (…)", for help text.</summary>
    public static string Help => Listing.Or(All.Select(f => f.Description));

    /// <summary>The first format that recognises <paramref name="path"/>, or null.</summary>
    public static ModelFormat? Recognise(string path) => All.FirstOrDefault(f => f.Recognises(path));

    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null) =>
        Load(path, new ModelOptions(normalization, inputShape));

    /// <summary>Loads <paramref name="path"/> with the first format that recognises it, after refusing an
    /// architecture or a backend that format cannot use.</summary>
    public static Classifier Load(string path, ModelOptions options)
    {
        options.Validated();
        if (!Directory.Exists(path)) IO.InputFile.Require(path, "model file"); // never a device or a FIFO
        var format = Recognise(path)
                     ?? throw new AdvexException($"{path} is not in a model format Advex reads (expected {Help})");
        if (!format.Backends.Contains(options.Backend))
            throw new AdvexException(
                $"backend {options.Backend.Name()} cannot run {path}: it is {format.Description}, and {options.Backend.Name()} " +
                $"runs {Listing.Or(All.Where(f => f.Backends.Contains(options.Backend)).Select(f => f.Name))} models only");
        if (options.Architecture is { } arch && !format.TakesArchitecture)
            throw new AdvexException(
                $"architecture {arch} applies to PyTorch state_dict checkpoints only; {path} is {format.Description}, which defines its own");
        if (options.CheckpointKey is { } key && !format.TakesArchitecture)
            throw new AdvexException(
                $"checkpoint key {key} applies to PyTorch training checkpoints only; {path} is {format.Description}");
        var model = format.Load(path, options);
        try
        {
            model.MemoryFormat = Layout(model, options.MemoryFormat, path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The asked-for memory format; when none is asked for, the one the model was built with (channels-last
    /// for Advex's own image architectures, which train in it, so a reloaded model gives its trained logits bit for
    /// bit; contiguous for every other module, the faster one on the measured networks, see
    /// <see cref="MemoryFormat"/>). Channels-last is refused by name for a model that cannot run it.</summary>
    private static MemoryFormat Layout(Classifier model, MemoryFormat? asked, string path)
    {
        if (asked is null) return model.MemoryFormat;
        if (asked == MemoryFormat.Contiguous) return MemoryFormat.Contiguous;
        if (!MemoryFormats.RunsChannelsLast(model))
            throw new AdvexException(
                $"model {path} cannot run channels-last input (it needs a [C,H,W] image model on the torch backend that gives the same logits in both layouts); use --memory-format contiguous");
        return MemoryFormat.ChannelsLast;
    }
}
