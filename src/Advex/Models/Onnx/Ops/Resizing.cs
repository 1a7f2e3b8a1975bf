namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Resize (opset 10+) and Upsample (opsets 7–10) with modes nearest and linear, computed one axis at a time:
/// each output index j maps to a source coordinate by the coordinate transformation mode; nearest picks an index
/// by nearest_mode, linear blends the two neighbours (coordinates clamped to the input), so gradients flow.
/// Cubic, antialiasing, tf_crop_and_resize and keep_aspect_ratio_policy other than stretch are refused.
/// </summary>
internal static class Resizing
{
    public static Tensor[] Resize(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var legacy = node.Opset < 11;
        var scalesInput = legacy ? 1 : 2;
        var scales = inputs.Length > scalesInput && inputs[scalesInput] is { } s && s.numel() > 0 ? OnnxNode.Doubles(s) : null;
        var sizes = !legacy && inputs.Length > 3 && inputs[3] is { } z && z.numel() > 0 ? OnnxNode.Longs(z) : null;
        if (node.Int("antialias", 0) != 0) throw node.Unsupported("antialias=1");
        if (node.Int("exclude_outside", 0) != 0) throw node.Unsupported("exclude_outside=1");
        var policy = node.String("keep_aspect_ratio_policy", "stretch");
        if (policy != "stretch" && sizes is not null) throw node.Unsupported($"keep_aspect_ratio_policy '{policy}'");
        var r = (int)x.dim();
        var axes = node.Ints("axes")?.Select(a => (int)node.Axis(a, r)).ToArray() ?? Enumerable.Range(0, r).ToArray();
        var fullScales = Enumerable.Repeat(1.0, r).ToArray();
        var outSizes = x.shape.ToArray();
        if (sizes is not null)
        {
            if (sizes.Length != axes.Length) throw node.Unsupported($"{sizes.Length} sizes for {axes.Length} axes");
            for (var i = 0; i < axes.Length; i++)
            {
                outSizes[axes[i]] = sizes[i];
                fullScales[axes[i]] = (double)sizes[i] / x.shape[axes[i]];
            }
        }
        else if (scales is not null)
        {
            if (scales.Length != axes.Length) throw node.Unsupported($"{scales.Length} scales for {axes.Length} axes");
            for (var i = 0; i < axes.Length; i++)
            {
                fullScales[axes[i]] = scales[i];
                outSizes[axes[i]] = (long)Math.Floor(x.shape[axes[i]] * scales[i]);
            }
        }
        else throw node.Unsupported("neither scales nor sizes");
        var mode = node.String("mode", "nearest");
        var transform = legacy ? "asymmetric" : node.String("coordinate_transformation_mode", "half_pixel");
        var nearest = legacy ? "simple" : node.String("nearest_mode", "round_prefer_floor");
        return [Interpolate(node, x, outSizes, fullScales, mode, transform, nearest)];
    }

    /// <summary>Upsample: scales as an attribute (opset 7) or an input (9, 10); asymmetric coordinates.</summary>
    public static Tensor[] Upsample(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var scales = node.Opset < 9
            ? node.Floats("scales") ?? throw node.Unsupported("a missing scales")
            : OnnxNode.Doubles(node.Required(inputs, 1));
        if (scales.Length != x.dim()) throw node.Unsupported($"{scales.Length} scales for a rank-{x.dim()} input");
        var outSizes = x.shape.Select((d, i) => (long)Math.Floor(d * scales[i])).ToArray();
        var mode = node.String("mode", "nearest");
        return [Interpolate(node, x, outSizes, scales, mode == "bilinear" ? "linear" : mode, "asymmetric", "simple")];
    }

    private static Tensor Interpolate(OnnxNode node, Tensor x, long[] outSizes, double[] scales, string mode,
        string transform, string nearest)
    {
        if (mode is not ("nearest" or "linear")) throw node.Unsupported($"mode '{mode}'");
        var y = x.alias();
        for (var axis = 0; axis < x.dim(); axis++)
        {
            var inLen = x.shape[axis];
            if (outSizes[axis] == inLen && scales[axis] == 1.0) continue;
            var coords = Enumerable.Range(0, (int)outSizes[axis])
                .Select(j => Source(node, transform, j, inLen, outSizes[axis], scales[axis])).ToArray();
            y = mode == "nearest"
                ? y.index_select(axis, tensor(coords.Select(c => Nearest(node, nearest, c, scales[axis], inLen)).ToArray()))
                : Linear(y, axis, coords, inLen);
        }
        return y;
    }

    private static double Source(OnnxNode node, string transform, long j, long inLen, long outLen, double scale) =>
        transform switch
        {
            "half_pixel" => (j + 0.5) / scale - 0.5,
            "pytorch_half_pixel" => outLen > 1 ? (j + 0.5) / scale - 0.5 : 0,
            // ONNX's reference divides by the unrounded resized length in·scale (= out when sizes are given)
            "align_corners" => outLen == 1 ? 0 : j * (inLen - 1) / (inLen * scale - 1),
            "asymmetric" => j / scale,
            "half_pixel_symmetric" => inLen / 2.0 * (1 - outLen / (scale * inLen)) + (j + 0.5) / scale - 0.5,
            _ => throw node.Unsupported($"coordinate_transformation_mode '{transform}'"),
        };

    /// <summary>"simple" is the opset-10 rule: floor when upsampling, ceil when downsampling.</summary>
    private static long Nearest(OnnxNode node, string nearest, double c, double scale, long inLen)
    {
        var floor = Math.Floor(c);
        var frac = c - floor;
        var index = nearest switch
        {
            "round_prefer_floor" => frac <= 0.5 ? floor : floor + 1,
            "round_prefer_ceil" => frac < 0.5 ? floor : floor + 1,
            "floor" => floor,
            "ceil" => Math.Ceiling(c),
            "simple" => scale < 1 ? Math.Ceiling(c) : floor,
            _ => throw node.Unsupported($"nearest_mode '{nearest}'"),
        };
        return Math.Clamp((long)index, 0, inLen - 1);
    }

    private static Tensor Linear(Tensor y, int axis, double[] coords, long inLen)
    {
        var clamped = coords.Select(c => Math.Clamp(c, 0, inLen - 1)).ToArray();
        var lower = clamped.Select(c => (long)Math.Floor(c)).ToArray();
        var upper = lower.Select(i => Math.Min(i + 1, inLen - 1)).ToArray();
        long[] shape = [.. Enumerable.Repeat(1L, (int)y.dim())];
        shape[axis] = coords.Length;
        var w = tensor(clamped.Select((c, i) => c - lower[i]).ToArray()).to_type(y.dtype).reshape(shape);
        return y.index_select(axis, tensor(lower)) * (1 - w) + y.index_select(axis, tensor(upper)) * w;
    }
}
