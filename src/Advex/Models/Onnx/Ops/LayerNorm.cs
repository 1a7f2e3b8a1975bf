namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// LayerNormalization (opset 17; Ba et al. 2016): over the dimensions from <c>axis</c> (default −1) to the last,
/// y = (x − mean) / √(var + epsilon) · Scale + B, with the biased variance. The optional Mean and InvStdDev outputs
/// keep the normalised dimensions as 1s.
/// </summary>
internal static class LayerNorm
{
    public static Tensor[] LayerNormalization(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var scale = node.Required(inputs, 1);
        var bias = inputs.Length > 2 ? inputs[2] : null;
        var axis = node.Axis(node.Int("axis", -1), x.dim());
        var normalized = x.shape[(int)axis..];
        var eps = node.Float("epsilon", 1e-5);
        Tensor y;
        if (scale.shape.SequenceEqual(normalized) && (bias is null || bias.shape.SequenceEqual(normalized)))
            y = F.layer_norm(x, normalized, scale, bias, eps);
        else
        {
            y = F.layer_norm(x, normalized, null, null, eps) * scale;
            if (bias is not null) y += bias;
        }
        if (node.UsedOutputs == 1) return [y];
        var dims = Enumerable.Range((int)axis, (int)(x.dim() - axis)).Select(d => (long)d).ToArray();
        var mean = x.mean(dims, keepdim: true);
        var variance = (x - mean).square().mean(dims, keepdim: true);
        return [y, mean, (variance + eps).rsqrt()];
    }
}
