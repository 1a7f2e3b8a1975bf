namespace Advex.Models;

/// <summary>
/// How to load a model, beyond its path: everything a format may need that the file does not say. Each format
/// takes what applies to it; <see cref="ModelFormatRegistry.Load(string, ModelOptions)"/> refuses an architecture or
/// a backend the recognised format cannot use, so no option is silently ignored.
/// </summary>
/// <param name="Normalization">mean/std to apply inside the model, overriding any the file records; or null</param>
/// <param name="InputShape">[C,H,W] of one sample for formats that do not record it; or null for the format's
/// default</param>
/// <param name="Architecture">the architecture a PyTorch <c>state_dict</c> belongs to (see
/// <see cref="Checkpoints.CheckpointArchitectures"/>); only checkpoints take one</param>
/// <param name="Classes">the class count of that architecture; null to read it from the checkpoint's last layer</param>
/// <param name="Backend">what runs the forward pass: TorchSharp (white-box) or ONNX Runtime (ONNX graphs,
/// forward-only)</param>
/// <param name="MemoryFormat">the layout image batches reach the module in; null keeps the model's own (channels-last
/// for Advex's architectures, which train in it; contiguous for other modules, faster under Advex's oneDNN cap on the
/// measured networks, see <see cref="Models.MemoryFormat"/>)</param>
/// <param name="CheckpointKey">the entry of a training checkpoint that holds the state_dict (e.g. <c>ema</c>); null
/// for a plain state_dict, or for a checkpoint with a single dictionary of tensors; only checkpoints take one</param>
public sealed record ModelOptions(
    Normalization? Normalization = null,
    long[]? InputShape = null,
    string? Architecture = null,
    int? Classes = null,
    ModelBackend Backend = ModelBackend.Torch,
    MemoryFormat? MemoryFormat = null,
    string? CheckpointKey = null)
{
    public static ModelOptions Default { get; } = new();

    /// <summary>Refuses a non-positive class count or input dimension (named as parameters).</summary>
    public ModelOptions Validated()
    {
        if (Classes is < 2) throw new AdvexException($"classes must be at least 2 (got {Classes})");
        if (InputShape is { } s && (s.Length != 3 || s.Any(d => d <= 0)))
            throw new AdvexException($"inputShape must be three positive numbers C,H,W (got [{string.Join(",", s)}])");
        return this;
    }
}
