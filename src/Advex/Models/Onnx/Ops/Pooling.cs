namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool. Symmetric pads within half the kernel go to torch's own padding (so
/// ceil_mode drops a last window that would start in the end padding, as ONNX does); other pads are applied
/// explicitly first. 1-d pools run as 2-d pools over a trailing axis of length 1.
/// </summary>
internal static class Pooling
{
    /// <summary>
    /// The optional Indices output holds each maximum's position in the whole input flattened row-major
    /// (storage_order 0; 1 = column-major within each plane, 2-d only), as ONNX defines it; it needs padding torch
    /// can apply itself.
    /// </summary>
    public static Tensor[] MaxPool(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var g = SpatialPads.Of(node, x.shape[2..], node.Ints("kernel_shape") ?? throw node.Unsupported("a missing kernel_shape"));
        var ceil = node.Int("ceil_mode", 0) != 0;
        var withIndices = node.UsedOutputs > 1;
        var integral = !x.is_floating_point();
        var input = integral ? x.to_type(ScalarType.Float64) : x;
        var padding = g.Begin;
        if (!g.Symmetric || !WithinHalfKernel(g))
        {
            if (withIndices) throw node.Unsupported("the Indices output with asymmetric or large pads");
            input = g.PadExplicitly(input, double.NegativeInfinity);
            padding = new long[g.Rank];
        }
        if (g.Rank is < 1 or > 3) throw node.Unsupported($"a {g.Rank}-d pool");
        if (g.Rank == 1) input = input.unsqueeze(-1);
        long[] kernel = g.Rank == 1 ? [g.Kernel[0], 1] : g.Kernel;
        long[] strides = g.Rank == 1 ? [g.Strides[0], 1] : g.Strides;
        long[] pads = g.Rank == 1 ? [padding[0], 0] : padding;
        long[] dilations = g.Rank == 1 ? [g.Dilations[0], 1] : g.Dilations;
        Tensor y, indices;
        if (withIndices)
        {
            if (node.Int("storage_order", 0) != 0 && g.Rank != 2) throw node.Unsupported($"storage_order=1 for a {g.Rank}-d pool");
            (y, indices) = g.Rank == 3
                ? F.max_pool3d_with_indices(input, kernel, strides, pads, dilations, ceil)
                : F.max_pool2d_with_indices(input, kernel, strides, pads, dilations, ceil);
        }
        else
        {
            y = g.Rank == 3
                ? F.max_pool3d(input, kernel, strides, pads, dilations, ceil)
                : F.max_pool2d(input, kernel, strides, pads, dilations, ceil);
            indices = y;
        }
        if (g.Rank == 1) (y, indices) = (y.squeeze(-1), indices.squeeze(-1));
        if (integral) y = y.to_type(ScalarType.Int64);
        if (!withIndices) return [y];
        if (node.Int("storage_order", 0) != 0)
        {
            // column-major within the plane: h·W + w → w·H + h
            var (height, width) = (x.shape[2], x.shape[3]);
            indices = indices.remainder(width) * height + indices.div(width, RoundingMode.floor);
        }
        // torch counts within each (n, c) plane; ONNX counts over the whole tensor
        var plane = x.shape.Skip(2).Aggregate(1L, (p, d) => p * d);
        var planes = arange(x.shape[0] * x.shape[1], device: x.device).reshape([x.shape[0], x.shape[1], .. Enumerable.Repeat(1L, g.Rank)]);
        return [y, indices + planes * plane];
    }

    /// <summary>count_include_pad = 0 (default) divides by the number of real (unpadded) elements in each window.</summary>
    public static Tensor[] AveragePool(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var g = SpatialPads.Of(node, x.shape[2..], node.Ints("kernel_shape") ?? throw node.Unsupported("a missing kernel_shape"));
        if (g.Dilations.Any(d => d != 1)) throw node.Unsupported("dilations other than 1");
        var ceil = node.Int("ceil_mode", 0) != 0;
        var includePad = node.Int("count_include_pad", 0) != 0;
        if (g.Symmetric && WithinHalfKernel(g)) return [Average(node, x, g, g.Begin, ceil, includePad)];
        var none = new long[g.Rank];
        var sum = Average(node, g.PadExplicitly(x), g, none, ceil, true);
        if (includePad) return [sum];
        using var ones = ones_like(x.select(0, 0).select(0, 0)).unsqueeze(0).unsqueeze(0);
        return [sum / Average(node, g.PadExplicitly(ones), g, none, ceil, true)];
    }

    public static Tensor[] GlobalAveragePool(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        return [x.mean(SpatialAxes(x), keepdim: true)];
    }

    public static Tensor[] GlobalMaxPool(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        return [x.amax(SpatialAxes(x), keepdim: true)];
    }

    /// <summary>The axes after batch and channel of an [N, C, D1, …] tensor: 2, 3, ….</summary>
    internal static long[] SpatialAxes(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i).ToArray();

    private static Tensor Average(OnnxNode node, Tensor x, SpatialPads g, long[] padding, bool ceil, bool includePad) =>
        g.Rank switch
        {
            1 => F.avg_pool2d(x.unsqueeze(-1), [g.Kernel[0], 1], [g.Strides[0], 1], [padding[0], 0], ceil, includePad)
                .squeeze(-1),
            2 => F.avg_pool2d(x, g.Kernel, g.Strides, padding, ceil, includePad),
            3 => F.avg_pool3d(x, g.Kernel, g.Strides, padding, ceil, includePad),
            _ => throw node.Unsupported($"a {g.Rank}-d pool"),
        };

    private static bool WithinHalfKernel(SpatialPads g) =>
        Enumerable.Range(0, g.Rank).All(i => g.Begin[i] <= ((g.Kernel[i] - 1) * g.Dilations[i] + 1) / 2);
}
