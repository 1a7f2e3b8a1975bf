namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Ops that only rearrange elements: Flatten, Reshape, Transpose, Concat, Identity, Shape, Gather, Squeeze, Unsqueeze, Expand, Tile.</summary>
internal static class Shapes
{
    /// <summary>To a matrix [prod(d₀..d_axis−1), prod(d_axis..)] (axis default 1).</summary>
    public static Tensor[] Flatten(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var axis = node.Int("axis", 1);
        axis = axis == x.dim() ? axis : node.Axis(axis, x.dim());
        return [x.reshape(Product(x.shape.Take((int)axis)), Product(x.shape.Skip((int)axis)))];
    }

    /// <summary>A 0 in the target copies the input's dimension (unless allowzero=1); −1 is inferred.</summary>
    public static Tensor[] Reshape(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var shape = OnnxNode.Longs(node.Required(inputs, 1));
        var allowZero = node.Int("allowzero", 0) != 0;
        var target = shape.Select((d, i) => d == 0 && !allowZero ? x.shape[i] : d).ToArray();
        return [x.reshape(target)];
    }

    public static Tensor[] Transpose(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var perm = node.Ints("perm") ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(i => (long)i).ToArray();
        return [x.permute(perm)];
    }

    public static Tensor[] Concat(OnnxNode node, Tensor?[] inputs)
    {
        var parts = inputs.Where(t => t is not null).Select(t => t!).ToList();
        if (!node.Has("axis") && node.Opset >= 4) throw node.Unsupported("a missing axis");
        return [cat(parts, node.Axis(node.Int("axis", 1), parts[0].dim()))];
    }

    public static Tensor[] Identity(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).alias()];

    /// <summary>The input's shape as int64, optionally sliced to [start, end) (opset 15).</summary>
    public static Tensor[] Shape(OnnxNode node, Tensor?[] inputs)
    {
        var shape = node.Required(inputs, 0).shape;
        var r = shape.Length;
        var start = Math.Clamp(Wrap(node.Int("start", 0), r), 0, r);
        var end = Math.Clamp(Wrap(node.Int("end", r), r), 0, r);
        return [tensor(shape[(int)start..(int)Math.Max(start, end)])];
    }

    /// <summary>out = data indexed along axis by indices (negative indices count from the end).</summary>
    public static Tensor[] Gather(OnnxNode node, Tensor?[] inputs)
    {
        var data = node.Required(inputs, 0);
        var indices = node.Required(inputs, 1);
        var axis = node.Axis(node.Int("axis", 0), data.dim());
        var size = data.shape[axis];
        var flat = indices.flatten().to_type(ScalarType.Int64);
        flat = where(flat < 0, flat + size, flat);
        long[] shape = [.. data.shape.Take((int)axis), .. indices.shape, .. data.shape.Skip((int)axis + 1)];
        return [data.index_select(axis, flat).reshape(shape)];
    }

    /// <summary>Axes from the attribute (opset &lt; 13) or the input; negative axes count in the output's rank.</summary>
    public static Tensor[] Unsqueeze(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var axes = node.Opset < 13 ? node.Ints("axes") : inputs.Length > 1 && inputs[1] is { } a ? OnnxNode.Longs(a) : null;
        if (axes is null) throw node.Unsupported("a missing axes");
        var rank = x.dim() + axes.Length;
        var y = x.alias();
        foreach (var axis in axes.Select(a => node.Axis(a, rank)).Order()) y = y.unsqueeze(axis);
        return [y];
    }

    /// <summary>Without axes, removes every dimension of size 1; a listed axis must have size 1.</summary>
    public static Tensor[] Squeeze(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var axes = node.Opset < 13 ? node.Ints("axes") : inputs.Length > 1 && inputs[1] is { } a ? OnnxNode.Longs(a) : null;
        var drop = axes is null
            ? Enumerable.Range(0, (int)x.dim()).Where(i => x.shape[i] == 1).Select(i => (long)i).ToHashSet()
            : axes.Select(a => node.Axis(a, x.dim())).ToHashSet();
        if (drop.Any(i => x.shape[i] != 1)) throw node.Unsupported("squeezing an axis whose size is not 1");
        return [x.reshape(x.shape.Where((_, i) => !drop.Contains(i)).ToArray())];
    }

    /// <summary>The input broadcast with the shape (bidirectionally, as NumPy: a 1 in the shape keeps the input's size).</summary>
    public static Tensor[] Expand(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var shape = OnnxNode.Longs(node.Required(inputs, 1));
        var rank = Math.Max(x.dim(), shape.Length);
        var target = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var a = i - (rank - x.dim()) is var xi && xi >= 0 ? x.shape[xi] : 1;
            var b = i - (rank - shape.Length) is var si && si >= 0 ? shape[si] : 1;
            if (a != b && a != 1 && b != 1)
                throw node.Unsupported($"expanding [{string.Join(",", x.shape)}] to [{string.Join(",", shape)}]");
            target[i] = a == 1 ? b : a;
        }
        node.CheckAllocation(target);
        return [x.expand(target)];
    }

    /// <summary>The input repeated repeats[i] times along axis i (one repeat count per axis).</summary>
    public static Tensor[] Tile(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var repeats = OnnxNode.Longs(node.Required(inputs, 1));
        if (repeats.Length != x.dim() || repeats.Any(r => r < 0))
            throw node.Unsupported($"repeats [{string.Join(",", repeats)}] for a rank-{x.dim()} tensor");
        node.CheckAllocation([.. x.shape, .. repeats], $"[{string.Join(",", x.shape)}] tiled [{string.Join(",", repeats)}]");
        return [x.repeat(repeats)];
    }

    private static long Wrap(long axis, long rank) => axis < 0 ? axis + rank : axis;

    private static long Product(IEnumerable<long> dims) => dims.Aggregate(1L, (p, d) => p * d);
}
