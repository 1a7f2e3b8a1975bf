namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Constant, ConstantOfShape and Range. Constant: a tensor from <c>value</c>, <c>value_float(s)</c> or <c>value_int(s)</c> (sparse and string values are not supported).</summary>
internal static class Constants
{
    public static Tensor[] Constant(OnnxNode node, Tensor?[] inputs)
    {
        if (node.TensorAttribute("value") is { } t) return [OnnxTensors.ToTensor(t, $"node '{node.Name}'")];
        if (node.Has("value_float")) return [tensor((float)node.Float("value_float", 0))];
        if (node.Floats("value_floats") is { } fs) return [tensor(fs.Select(f => (float)f).ToArray())];
        if (node.Has("value_int")) return [tensor(node.Int("value_int", 0))];
        if (node.Ints("value_ints") is { } ints) return [tensor(ints)];
        throw node.Unsupported("a Constant without value");
    }

    /// <summary>A tensor of the given shape filled with <c>value</c>'s one element (default float 0).</summary>
    public static Tensor[] ConstantOfShape(OnnxNode node, Tensor?[] inputs)
    {
        var shape = OnnxNode.Longs(node.Required(inputs, 0));
        if (shape.Any(d => d < 0)) throw node.Unsupported($"the negative shape [{string.Join(",", shape)}]");
        node.CheckAllocation(shape);
        using var value = node.TensorAttribute("value") is { } t ? OnnxTensors.ToTensor(t, $"node '{node.Name}'") : tensor(0f);
        if (value.numel() != 1) throw node.Unsupported($"a value of {value.numel()} elements");
        return [shape.Length == 0 ? value.reshape([]).clone() : value.reshape(1).expand(shape).clone()];
    }

    /// <summary>start, start + delta, … up to (excluding) limit; the type of the inputs.</summary>
    public static Tensor[] Range(OnnxNode node, Tensor?[] inputs)
    {
        var start = node.Required(inputs, 0);
        var limit = node.Required(inputs, 1);
        var delta = node.Required(inputs, 2);
        if (start.is_floating_point())
        {
            var (s, l, d) = (OnnxNode.Doubles(start).Single(), OnnxNode.Doubles(limit).Single(), OnnxNode.Doubles(delta).Single());
            if (d == 0) throw node.Unsupported("delta 0");
            var count = (long)Math.Min(Math.Max(Math.Ceiling((l - s) / d), 0), long.MaxValue / 16);
            node.CheckAllocation([count]);
            return [(arange(count, ScalarType.Float64) * d + s).to_type(start.dtype)];
        }
        var (si, li, di) = (OnnxNode.Longs(start).Single(), OnnxNode.Longs(limit).Single(), OnnxNode.Longs(delta).Single());
        if (di == 0) throw node.Unsupported("delta 0");
        var n = (long)Math.Min(Math.Max(Math.Ceiling((double)(li - si) / di), 0), long.MaxValue / 16);
        node.CheckAllocation([n]);
        return [arange(n, ScalarType.Int64) * di + si];
    }
}
