namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>ReduceMean: axes as an attribute before opset 18, an optional input from 18; keepdims default 1.</summary>
internal static class Reductions
{
    public static Tensor[] ReduceMean(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var axes = node.Opset < 18 ? node.Ints("axes") : inputs.Length > 1 && inputs[1] is { } a ? OnnxNode.Longs(a) : null;
        if (axes is null or { Length: 0 })
        {
            if (node.Int("noop_with_empty_axes", 0) != 0) return [x.alias()];
            axes = Enumerable.Range(0, (int)x.dim()).Select(i => (long)i).ToArray();
        }
        if (!x.is_floating_point()) throw node.Unsupported($"an input of type {x.dtype}");
        var dims = axes.Select(d => node.Axis(d, x.dim())).Distinct().ToArray();
        return [x.mean(dims, keepdim: node.Int("keepdims", 1) != 0)];
    }
}
