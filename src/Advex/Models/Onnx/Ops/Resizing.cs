namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Resize (opset 10+) and Upsample (opsets 7–10) with modes nearest, linear and cubic, computed one axis at a time:
/// each output index maps to a source coordinate by the coordinate transformation mode; nearest picks an index by
/// nearest_mode, linear blends the two neighbours (coordinate clamped to the input), cubic blends four with Keys'
/// kernel (coefficient cubic_coeff_a, edge values repeated, or dropped and renormalised with exclude_outside), so
/// gradients flow. tf_crop_and_resize samples the roi and writes extrapolation_value outside the input.
/// Antialiasing and keep_aspect_ratio_policy other than stretch are refused.
/// </summary>
internal static class Resizing
{
    private sealed record Options(string Mode, string Transform, string Nearest, double CubicA, bool ExcludeOutside,
        double Extrapolation);

    public static Tensor[] Resize(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var legacy = node.Opset < 11;
        var scalesInput = legacy ? 1 : 2;
        var scales = Present(inputs, scalesInput) is { } s ? OnnxNode.Doubles(s) : null;
        var sizes = !legacy && Present(inputs, 3) is { } z ? OnnxNode.Longs(z) : null;
        var roi = !legacy && Present(inputs, 1) is { } q ? OnnxNode.Doubles(q) : null;
        if (node.Int("antialias", 0) != 0) throw node.Unsupported("antialias=1");
        var policy = node.String("keep_aspect_ratio_policy", "stretch");
        if (policy != "stretch" && sizes is not null) throw node.Unsupported($"keep_aspect_ratio_policy '{policy}'");
        var options = new Options(node.String("mode", "nearest"),
            legacy ? "asymmetric" : node.String("coordinate_transformation_mode", "half_pixel"),
            legacy ? "simple" : node.String("nearest_mode", "round_prefer_floor"),
            node.Float("cubic_coeff_a", -0.75), node.Int("exclude_outside", 0) != 0, node.Float("extrapolation_value", 0));
        if (options.ExcludeOutside && options.Mode != "cubic") throw node.Unsupported($"exclude_outside=1 with mode '{options.Mode}'");
        var r = (int)x.dim();
        var axes = node.Ints("axes")?.Select(a => (int)node.Axis(a, r)).ToArray() ?? Enumerable.Range(0, r).ToArray();
        var cropping = options.Transform == "tf_crop_and_resize";
        var starts = new double[r];
        var ends = Enumerable.Repeat(1.0, r).ToArray();
        if (cropping)
        {
            if (roi is null || roi.Length != 2 * axes.Length) throw node.Unsupported($"tf_crop_and_resize with roi of length {roi?.Length ?? 0}");
            for (var i = 0; i < axes.Length; i++) (starts[axes[i]], ends[axes[i]]) = (roi[i], roi[i + axes.Length]);
        }
        var fullScales = Enumerable.Repeat(1.0, r).ToArray();
        var outSizes = x.shape.ToArray();
        if (sizes is not null)
        {
            if (sizes.Length != axes.Length) throw node.Unsupported($"{sizes.Length} sizes for {axes.Length} axes");
            for (var i = 0; i < axes.Length; i++)
                (outSizes[axes[i]], fullScales[axes[i]]) = (sizes[i], (double)sizes[i] / x.shape[axes[i]]);
        }
        else if (scales is not null)
        {
            if (scales.Length != axes.Length) throw node.Unsupported($"{scales.Length} scales for {axes.Length} axes");
            for (var i = 0; i < axes.Length; i++)
            {
                var a = axes[i];
                fullScales[a] = scales[i];
                outSizes[a] = (long)Math.Floor(x.shape[a] * (ends[a] - starts[a]) * scales[i]);
            }
        }
        else throw node.Unsupported("neither scales nor sizes");
        return [Interpolate(node, x, outSizes, fullScales, starts, ends, options)];
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
        var options = new Options(mode == "bilinear" ? "linear" : mode, "asymmetric", "simple", -0.75, false, 0);
        return [Interpolate(node, x, outSizes, scales, new double[x.dim()], Enumerable.Repeat(1.0, (int)x.dim()).ToArray(), options)];
    }

    private static Tensor? Present(Tensor?[] inputs, int index) =>
        index < inputs.Length && inputs[index] is { } t && t.numel() > 0 ? t : null;

    private static Tensor Interpolate(OnnxNode node, Tensor x, long[] outSizes, double[] scales, double[] starts,
        double[] ends, Options o)
    {
        if (o.Mode is not ("nearest" or "linear" or "cubic")) throw node.Unsupported($"mode '{o.Mode}'");
        var y = x.alias();
        for (var axis = 0; axis < x.dim(); axis++)
        {
            var inLen = x.shape[axis];
            if (outSizes[axis] == inLen && scales[axis] == 1.0 && o.Transform != "tf_crop_and_resize") continue;
            var coords = Enumerable.Range(0, (int)outSizes[axis])
                .Select(j => Source(node, o.Transform, j, inLen, outSizes[axis], scales[axis], starts[axis], ends[axis]))
                .ToArray();
            y = o.Mode switch
            {
                "nearest" => y.index_select(axis, tensor(coords.Select(c => Nearest(node, o.Nearest, c, scales[axis], inLen)).ToArray(), device: y.device)),
                "linear" => Blend(y, axis, coords.Select(c => Math.Clamp(c, 0, inLen - 1)).ToArray(), inLen, LinearTaps),
                _ => Blend(y, axis, coords, inLen, (c, n) => CubicTaps(c, n, o.CubicA, o.ExcludeOutside)),
            };
            if (o.Transform == "tf_crop_and_resize" && coords.Any(c => c < 0 || c > inLen - 1))
            {
                long[] shape = [.. Enumerable.Repeat(1L, (int)y.dim())];
                shape[axis] = coords.Length;
                var outside = tensor(coords.Select(c => c < 0 || c > inLen - 1).ToArray(), device: y.device).reshape(shape);
                y = y.masked_fill(outside, o.Extrapolation);
            }
        }
        return y;
    }

    private static double Source(OnnxNode node, string transform, long j, long inLen, long outLen, double scale,
        double start, double end) =>
        transform switch
        {
            "half_pixel" => (j + 0.5) / scale - 0.5,
            "pytorch_half_pixel" => outLen > 1 ? (j + 0.5) / scale - 0.5 : 0,
            // ONNX's reference divides by the unrounded resized length in·scale (= out when sizes are given)
            "align_corners" => outLen == 1 ? 0 : j * (inLen - 1) / (inLen * scale - 1),
            "asymmetric" => j / scale,
            "tf_half_pixel_for_nn" => (j + 0.5) / scale,
            "half_pixel_symmetric" => inLen / 2.0 * (1 - outLen / (scale * inLen)) + (j + 0.5) / scale - 0.5,
            "tf_crop_and_resize" => outLen > 1
                ? start * (inLen - 1) + j * (end - start) * (inLen - 1) / (outLen - 1)
                : 0.5 * (start + end) * (inLen - 1),
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

    /// <summary>Source indices and weights of one output coordinate.</summary>
    private delegate (long Index, double Weight)[] Taps(double coordinate, long inLen);

    private static (long, double)[] LinearTaps(double c, long inLen)
    {
        var lower = (long)Math.Floor(c);
        var w = c - lower;
        return [(lower, 1 - w), (Math.Min(lower + 1, inLen - 1), w)];
    }

    /// <summary>Keys' cubic kernel at the 4 neighbours floor(c)−1 … floor(c)+2; indices outside repeat the edge.</summary>
    private static (long, double)[] CubicTaps(double c, long inLen, double a, bool excludeOutside)
    {
        var floor = (long)Math.Floor(c);
        var taps = Enumerable.Range(-1, 4).Select(k => (Index: floor + k, Weight: Keys(Math.Abs(c - (floor + k)), a))).ToArray();
        if (excludeOutside)
        {
            taps = taps.Select(t => t.Index < 0 || t.Index >= inLen ? (t.Index, 0.0) : t).ToArray();
            var sum = taps.Sum(t => t.Weight);
            taps = taps.Select(t => (t.Index, t.Weight / sum)).ToArray();
        }
        return taps.Select(t => (Math.Clamp(t.Index, 0, inLen - 1), t.Weight)).ToArray();
    }

    private static double Keys(double d, double a) =>
        d <= 1 ? ((a + 2) * d - (a + 3)) * d * d + 1
        : d < 2 ? ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
        : 0;

    /// <summary>Σₖ wₖ · x[indexₖ] along the axis, with one index_select per tap.</summary>
    private static Tensor Blend(Tensor y, int axis, double[] coords, long inLen, Taps taps)
    {
        var all = coords.Select(c => taps(c, inLen)).ToArray();
        long[] shape = [.. Enumerable.Repeat(1L, (int)y.dim())];
        shape[axis] = coords.Length;
        Tensor? sum = null;
        for (var k = 0; k < all[0].Length; k++)
        {
            var index = tensor(all.Select(t => t[k].Index).ToArray(), device: y.device);
            var weight = tensor(all.Select(t => t[k].Weight).ToArray(), y.dtype, y.device).reshape(shape);
            var term = y.index_select(axis, index) * weight;
            sum = sum is null ? term : sum + term;
        }
        return sum!;
    }
}
