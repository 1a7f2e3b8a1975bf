namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// The Reduce* family over the listed axes (all axes when none are given, or the input itself with
/// noop_with_empty_axes=1); keepdims default 1. Axes are an attribute up to opset 12 for ReduceSum and up to 17 for
/// the others, an optional input after. Mean, L2, LogSum and LogSumExp need a floating input.
/// </summary>
internal static class Reductions
{
    public static Tensor[] ReduceMean(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: true, (x, dims, keep) => x.mean(dims, keepdim: keep));

    public static Tensor[] ReduceSum(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 13, floating: false, (x, dims, keep) => x.sum(dims, keepdim: keep));

    public static Tensor[] ReduceMax(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: false, (x, dims, keep) => x.amax(dims, keepdim: keep));

    public static Tensor[] ReduceMin(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: false, (x, dims, keep) => x.amin(dims, keepdim: keep));

    /// <summary>Product over several axes, one axis at a time (torch's prod takes one).</summary>
    public static Tensor[] ReduceProd(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: false, (x, dims, keep) =>
        {
            var y = dims.Aggregate(x, (t, d) => t.prod(d, keepdim: true));
            return keep ? y : Squeeze(y, dims);
        });

    /// <summary>Σ|x|.</summary>
    public static Tensor[] ReduceL1(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: false, (x, dims, keep) => x.abs().sum(dims, keepdim: keep));

    /// <summary>√(Σx²).</summary>
    public static Tensor[] ReduceL2(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: true, (x, dims, keep) => x.square().sum(dims, keepdim: keep).sqrt());

    /// <summary>Σx².</summary>
    public static Tensor[] ReduceSumSquare(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: false, (x, dims, keep) => x.square().sum(dims, keepdim: keep));

    /// <summary>log Σx.</summary>
    public static Tensor[] ReduceLogSum(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: true, (x, dims, keep) => x.sum(dims, keepdim: keep).log());

    /// <summary>log Σeˣ, computed as m + log Σe^(x − m) with m the maximum, so large logits do not overflow.</summary>
    public static Tensor[] ReduceLogSumExp(OnnxNode node, Tensor?[] inputs) =>
        Reduce(node, inputs, 18, floating: true, (x, dims, keep) =>
        {
            var m = x.amax(dims, keepdim: true).detach();
            m = where(m.isfinite(), m, zeros_like(m));
            var y = (x - m).exp().sum(dims, keepdim: true).log() + m;
            return keep ? y : Squeeze(y, dims);
        });

    /// <summary>Drops the kept axes, given in descending order so each index is still valid.</summary>
    private static Tensor Squeeze(Tensor y, long[] descendingDims) => descendingDims.Aggregate(y, (t, d) => t.squeeze(d));

    private static Tensor[] Reduce(OnnxNode node, Tensor?[] inputs, int axesInputFrom, bool floating,
        Func<Tensor, long[], bool, Tensor> reduce)
    {
        var x = node.Required(inputs, 0);
        var axes = node.Opset < axesInputFrom ? node.Ints("axes")
            : inputs.Length > 1 && inputs[1] is { } a ? OnnxNode.Longs(a) : null;
        if (axes is null or { Length: 0 })
        {
            if (node.Int("noop_with_empty_axes", 0) != 0) return [x.alias()];
            axes = Enumerable.Range(0, (int)x.dim()).Select(i => (long)i).ToArray();
        }
        if (floating && !x.is_floating_point()) throw node.Unsupported($"an input of type {x.dtype}");
        var dims = axes.Select(d => node.Axis(d, x.dim())).Distinct().OrderDescending().ToArray();
        return [reduce(x, dims, node.Int("keepdims", 1) != 0)];
    }
}
