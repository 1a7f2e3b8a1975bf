namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>Conv and ConvTranspose over 1, 2 or 3 spatial axes, with groups, dilations and (asymmetric) padding.</summary>
internal static class Convolution
{
    public static Tensor[] Conv(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var w = node.Required(inputs, 1);
        var b = inputs.Length > 2 ? inputs[2] : null;
        var kernel = node.Ints("kernel_shape") ?? w.shape[2..];
        var g = SpatialPads.Of(node, x.shape[2..], kernel);
        var groups = node.Int("group", 1);
        var padding = g.Begin;
        if (!g.Symmetric)
        {
            x = g.PadExplicitly(x);
            padding = new long[g.Rank];
        }
        return [g.Rank switch
        {
            1 => F.conv1d(x, w, b, g.Strides[0], padding[0], g.Dilations[0], groups),
            2 => F.conv2d(x, w, b, g.Strides, padding, g.Dilations, groups),
            3 => F.conv3d(x, w, b, g.Strides, padding, g.Dilations, groups),
            _ => throw node.Unsupported($"a {g.Rank}-d convolution"),
        }];
    }

    /// <summary>
    /// The full transposed convolution (no padding, plus output_padding at the end), then the ONNX pads cropped off:
    /// from <c>pads</c>, or from <c>output_shape</c> / SAME auto_pad (total = s·(in−1) + output_padding + (k−1)·d + 1 − out).
    /// </summary>
    public static Tensor[] ConvTranspose(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var w = node.Required(inputs, 1);
        var b = inputs.Length > 2 ? inputs[2] : null;
        var kernel = node.Ints("kernel_shape") ?? w.shape[2..];
        var n = kernel.Length;
        var strides = node.Ints("strides") ?? SpatialPads.Ones(n);
        var dilations = node.Ints("dilations") ?? SpatialPads.Ones(n);
        var outputPadding = node.Ints("output_padding") ?? new long[n];
        var groups = node.Int("group", 1);
        var input = x.shape[2..];
        var autoPad = node.String("auto_pad", "NOTSET");
        var begin = new long[n];
        var end = new long[n];
        var outputShape = node.Ints("output_shape");
        if (outputShape is { Length: > 0 } && outputShape.Length == n + 2) outputShape = outputShape[2..];
        if (outputShape is { Length: > 0 } || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            var target = outputShape is { Length: > 0 } ? outputShape : input.Select((v, i) => v * strides[i]).ToArray();
            if (target.Length != n) throw node.Unsupported($"output_shape of length {target.Length} for a {n}-d kernel");
            for (var i = 0; i < n; i++)
            {
                var total = strides[i] * (input[i] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1 - target[i];
                var half = (long)Math.Floor(total / 2.0); // floor, as in ONNX's reference (total may be negative)
                (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
            }
        }
        else if (autoPad == "NOTSET")
        {
            var pads = node.Ints("pads") ?? new long[2 * n];
            if (pads.Length != 2 * n) throw node.Unsupported($"pads of length {pads.Length} for a {n}-d kernel");
            Array.Copy(pads, 0, begin, 0, n);
            Array.Copy(pads, n, end, 0, n);
        }
        else if (autoPad != "VALID") throw node.Unsupported($"auto_pad '{autoPad}'");
        for (var i = 0; i < n; i++)
            if (outputPadding[i] >= Math.Max(strides[i], dilations[i]))
                throw node.Unsupported($"output_padding {outputPadding[i]} ≥ max(stride, dilation)");
        var full = n switch
        {
            1 => F.conv_transpose1d(x, w, b, strides[0], 0, outputPadding[0], dilations[0], groups),
            2 => F.conv_transpose2d(x, w, b, strides, new long[2], outputPadding, dilations, groups),
            3 => F.conv_transpose3d(x, w, b, strides, new long[3], outputPadding, dilations, groups),
            _ => throw node.Unsupported($"a {n}-d transposed convolution"),
        };
        return begin.All(p => p == 0) && end.All(p => p == 0)
            ? [full]
            : [F.pad(full, SpatialPads.TorchOrder(begin.Select(p => -p).ToArray(), end.Select(p => -p).ToArray()))];
    }
}
