namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// BatchNormalization in inference mode: y = (x − mean) / √(var + epsilon) · scale + B, per channel (axis 1).
/// Training mode (training_mode=1, is_test=0 before opset 7), spatial=0 and the running-statistics outputs are refused.
/// </summary>
internal static class BatchNorm
{
    /// <summary>True when the node is an inference-mode BatchNormalization this converter runs (so it may be folded).</summary>
    public static bool IsInference(OnnxNode node) =>
        node.Int("training_mode", 0) == 0 && (node.Opset >= 7 || node.Int("is_test", 0) != 0) &&
        (node.Opset >= 9 || node.Int("spatial", 1) != 0) && node.UsedOutputs == 1;

    public static Tensor[] BatchNormalization(OnnxNode node, Tensor?[] inputs)
    {
        if (node.Int("training_mode", 0) != 0) throw node.Unsupported("training_mode=1");
        if (node.Opset < 7 && node.Int("is_test", 0) == 0) throw node.Unsupported("is_test=0 (training mode)");
        if (node.Opset < 9 && node.Int("spatial", 1) == 0) throw node.Unsupported("spatial=0");
        if (node.UsedOutputs > 1) throw node.Unsupported("the running mean/variance outputs");
        var x = node.Required(inputs, 0);
        var perChannel = PerChannel(x);
        var scale = node.Required(inputs, 1).reshape(perChannel);
        var bias = node.Required(inputs, 2).reshape(perChannel);
        var mean = node.Required(inputs, 3).reshape(perChannel);
        var variance = node.Required(inputs, 4).reshape(perChannel);
        return [(x - mean) / (variance + node.Float("epsilon", 1e-5)).sqrt() * scale + bias];
    }

    /// <summary>The shape [C, 1, …] that lines a per-channel vector up with axis 1 of <paramref name="x"/>.</summary>
    internal static long[] PerChannel(Tensor x) => [-1, .. Enumerable.Repeat(1L, Math.Max(0, (int)x.dim() - 2))];

    /// <summary>
    /// Dropout at inference is the identity and the optional mask output is all true. Training mode (is_test=0
    /// before opset 7, training_mode=true from 12) is refused, unless its ratio is 0, when it is the identity too.
    /// </summary>
    public static Tensor[] Dropout(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        if (node.Opset < 7 && node.Int("is_test", 0) == 0) throw node.Unsupported("is_test=0 (training mode)");
        var training = inputs.Length > 2 && inputs[2] is { } t && OnnxNode.Doubles(t).Single() != 0;
        var ratio = inputs.Length > 1 && inputs[1] is { } r ? OnnxNode.Doubles(r).Single() : 0.5;
        if (training && ratio != 0) throw node.Unsupported($"training_mode=true with ratio {ratio}");
        return [x.alias(), ones_like(x, ScalarType.Bool)];
    }
}
