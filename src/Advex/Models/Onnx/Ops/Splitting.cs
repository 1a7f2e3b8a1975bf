namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Split along one axis (default 0) into the node's outputs: by the split sizes (an attribute before opset 13, an
/// optional input from 13), else into num_outputs parts (opset 18; each ⌈n/parts⌉ long, the last one shorter), else
/// into as many equal parts as the node has outputs.
/// </summary>
internal static class Splitting
{
    public static Tensor[] Split(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var axis = node.Axis(node.Int("axis", 0), x.dim());
        var length = x.shape[axis];
        var sizes = node.Opset < 13 ? node.Ints("split")
            : inputs.Length > 1 && inputs[1] is { } s ? OnnxNode.Longs(s) : null;
        if (sizes is { Length: > 0 })
        {
            if (sizes.Any(v => v < 0) || sizes.Sum() != length)
                throw node.Unsupported($"split sizes [{string.Join(",", sizes)}] for an axis of length {length}");
        }
        else
        {
            var parts = node.Has("num_outputs") ? node.Int("num_outputs", 0) : node.Proto.Output.Count;
            if (parts < 1) throw node.Unsupported($"num_outputs {parts}");
            if (!node.Has("num_outputs") && length % parts != 0)
                throw node.Unsupported($"splitting an axis of length {length} into {parts} equal parts");
            var part = (length + parts - 1) / parts;
            sizes = Enumerable.Range(0, (int)parts).Select(i => Math.Clamp(length - i * part, 0, part)).ToArray();
        }
        if (sizes.Length != node.Proto.Output.Count)
            throw node.Unsupported($"{sizes.Length} parts for {node.Proto.Output.Count} outputs");
        return x.split(sizes, axis);
    }
}
