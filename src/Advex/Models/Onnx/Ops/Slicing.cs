namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Slice: starts/ends/axes attributes before opset 10; starts, ends, axes, steps inputs from 10.</summary>
internal static class Slicing
{
    /// <summary>
    /// Per axis: indices clamped as in NumPy (negative counts from the end; a negative step walks backwards, done
    /// as a flip since torch slices take positive steps only).
    /// </summary>
    public static Tensor[] Slice(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        long[] starts, ends;
        long[]? axes, steps = null;
        if (node.Opset < 10)
        {
            starts = node.Ints("starts") ?? throw node.Unsupported("a missing starts");
            ends = node.Ints("ends") ?? throw node.Unsupported("a missing ends");
            axes = node.Ints("axes");
        }
        else
        {
            starts = OnnxNode.Longs(node.Required(inputs, 1));
            ends = OnnxNode.Longs(node.Required(inputs, 2));
            axes = inputs.Length > 3 && inputs[3] is { } a ? OnnxNode.Longs(a) : null;
            steps = inputs.Length > 4 && inputs[4] is { } s ? OnnxNode.Longs(s) : null;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw node.Unsupported("starts, ends, axes and steps of different lengths");
        var y = x.alias();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = node.Axis(axes[i], x.dim());
            var size = x.shape[axis];
            var step = steps[i];
            if (step == 0) throw node.Unsupported("step 0");
            var start = Clamp(starts[i], size, step);
            var end = Clamp(ends[i], size, step);
            if (step > 0)
            {
                y = y.slice(axis, start, Math.Max(start, end), step);
                continue;
            }
            // walk backwards from start (inclusive) to end (exclusive): the same elements, read from a flipped axis
            var count = Math.Max(0, (start - end + (-step) - 1) / (-step));
            var flippedStart = size - 1 - start;
            y = y.flip(axis).slice(axis, flippedStart, flippedStart + (count - 1) * -step + 1, -step);
        }
        return [y];
    }

    private static long Clamp(long index, long size, long step)
    {
        var i = index < 0 ? index + size : index;
        return step > 0 ? Math.Clamp(i, 0, size) : Math.Clamp(i, -1, size - 1);
    }
}
