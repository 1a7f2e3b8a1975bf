namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// LayerNormalization (opset 17; Ba et al. 2016): over the dimensions from <c>axis</c> (default −1) to the last,
/// y = (x − mean) / √(var + epsilon) · Scale + B, with the biased variance. The Mean and InvStdDev outputs (used
/// in training) are refused.
/// </summary>
internal static class LayerNorm
{
    public static Tensor[] LayerNormalization(OnnxNode node, Tensor?[] inputs)
    {
        if (node.UsedOutputs > 1) throw node.Unsupported("the Mean/InvStdDev outputs");
        var x = node.Required(inputs, 0);
        var scale = node.Required(inputs, 1);
        var bias = inputs.Length > 2 ? inputs[2] : null;
        var axis = node.Axis(node.Int("axis", -1), x.dim());
        var normalized = x.shape[(int)axis..];
        var eps = node.Float("epsilon", 1e-5);
        if (scale.shape.SequenceEqual(normalized) && (bias is null || bias.shape.SequenceEqual(normalized)))
            return [F.layer_norm(x, normalized, scale, bias, eps)];
        var y = F.layer_norm(x, normalized, null, null, eps) * scale;
        return [bias is null ? y : y + bias];
    }
}
