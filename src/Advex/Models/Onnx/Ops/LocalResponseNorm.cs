namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// LRN (AlexNet's local response normalization) across channels:
/// y_c = x_c / (bias + alpha/size · Σ_{c'} x_{c'}²)^beta, the sum over c' ∈ [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉]
/// inside the channels (ONNX's window; for an even size it reaches one channel further up than torch's).
/// Defaults: alpha 1e-4, beta 0.75, bias 1.
/// </summary>
internal static class LocalResponseNorm
{
    public static Tensor[] Lrn(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var size = node.Int("size", 0);
        if (size < 1) throw node.Unsupported($"size {size}");
        if (x.dim() < 3) throw node.Unsupported($"a rank-{x.dim()} input (needs [N, C, D1, …])");
        var below = (size - 1) / 2;
        var above = size - 1 - below;
        // Move channels last, zero-pad them by (below, above), and sum each window of `size` channels.
        var squares = x.square().movedim([1], [-1]);
        var padded = F.pad(squares, [below, above]);
        var channels = x.shape[1];
        var sum = padded.narrow(-1, 0, channels);
        for (var k = 1; k < size; k++) sum = sum + padded.narrow(-1, k, channels);
        var scale = (sum.movedim([-1], [1]) * (node.Float("alpha", 1e-4) / size) + node.Float("bias", 1.0))
            .pow(node.Float("beta", 0.75));
        return [x / scale];
    }
}
