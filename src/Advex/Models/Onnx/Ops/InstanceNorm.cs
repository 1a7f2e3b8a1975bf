namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// InstanceNormalization: y = scale · (x − μ) / √(σ² + epsilon) + B, with μ and σ² (biased) the mean and variance of
/// each sample's channel over its spatial axes (2..), scale and B per channel.
/// </summary>
internal static class InstanceNorm
{
    public static Tensor[] InstanceNormalization(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        if (x.dim() < 3) throw node.Unsupported($"a rank-{x.dim()} input (needs [N, C, D1, …])");
        var perChannel = BatchNorm.PerChannel(x);
        var scale = node.Required(inputs, 1).reshape(perChannel);
        var bias = node.Required(inputs, 2).reshape(perChannel);
        var spatial = Pooling.SpatialAxes(x);
        var mean = x.mean(spatial, keepdim: true);
        var variance = (x - mean).square().mean(spatial, keepdim: true);
        return [scale * (x - mean) / (variance + node.Float("epsilon", 1e-5)).sqrt() + bias];
    }
}
