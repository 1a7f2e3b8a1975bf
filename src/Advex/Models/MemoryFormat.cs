namespace Advex.Models;

using static TorchSharp.torch;

/// <summary>
/// How a classifier lays out an image batch [N,C,H,W] in memory before its module sees it, as PyTorch's
/// <c>torch.contiguous_format</c> and <c>torch.channels_last</c>. The values are the same; only the strides differ.
/// Which one is faster depends on the kernels: with oneDNN capped at SSE4.1 (<see cref="Native.OneDnnIsa"/>) a
/// gradient step of the LeNet fixture (one thread, batch 256) took 68 ms contiguous and 78 ms channels-last, of
/// ResNet-50 at 224 px (batch 2) 0.79 s and 0.98 s, of MobileNetV2 0.088 s and 0.085 s (2026-12-06,
/// benchmarks/results/onnx-speed.json): so modules other than Advex's own architectures run contiguous unless
/// channels-last is asked for. The summation order changes with the layout, so logits differ in the last bits: the
/// format is part of an evaluation's configuration.
/// </summary>
public enum MemoryFormat
{
    Contiguous,
    ChannelsLast,
}

public static class MemoryFormats
{
    /// <summary>"contiguous" or "channels-last": the names the CLI and run.json use.</summary>
    public static string Name(this MemoryFormat format) => format switch
    {
        MemoryFormat.Contiguous => "contiguous",
        MemoryFormat.ChannelsLast => "channels-last",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>A format by name; "auto" (null) keeps the model's own (<see cref="Classifier.MemoryFormat"/>).</summary>
    public static MemoryFormat? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "auto" => null,
        "contiguous" => MemoryFormat.Contiguous,
        "channels-last" or "channels_last" => MemoryFormat.ChannelsLast,
        _ => throw new AdvexException($"unknown memory format '{name}' (expected auto, contiguous or channels-last)"),
    };

    /// <summary>x laid out in <paramref name="format"/>; anything but a 4-D batch passes unchanged. Differentiable:
    /// gradients flow back to x in its own layout.</summary>
    public static Tensor Apply(Tensor x, MemoryFormat format)
    {
        if (format == MemoryFormat.Contiguous || x.dim() != 4) return x;
        var (c, h, w) = (x.shape[1], x.shape[2], x.shape[3]);
        // NHWC memory; for C = 1 this is x's own memory, which contiguous() would not re-stride
        var nhwc = x.permute(0, 2, 3, 1).contiguous();
        return nhwc.as_strided(x.shape, [h * w * c, 1, w * c, c], nhwc.storage_offset());
    }

    /// <summary>
    /// Whether a model can run channels-last input: an image model on the torch backend whose module gives the same
    /// logits on a channels-last probe batch as on a contiguous one (a module that reshapes its input with
    /// <c>view</c> fails or differs).
    /// </summary>
    public static bool RunsChannelsLast(Classifier model)
    {
        if (model.InputShape.Length != 3 || model.Backend != ModelBackend.Torch) return false;
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        using var _ = no_grad();
        var probe = rand([4, .. model.InputShape], generator: new Generator(0x4D46)) * (model.Upper - model.Lower) + model.Lower;
        try
        {
            var plain = model.Logits(probe, MemoryFormat.Contiguous);
            var strided = model.Logits(probe, MemoryFormat.ChannelsLast);
            var scale = plain.abs().max().item<float>() + 1e-6f;
            return (plain - strided).abs().max().item<float>() <= 1e-4f * scale;
        }
        catch (AdvexException)
        {
            return false;
        }
    }
}
