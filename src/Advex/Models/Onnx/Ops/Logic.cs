namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Comparisons and selection: Equal, Not, Where (NumPy broadcasting; booleans held as bool tensors).</summary>
internal static class Logic
{
    public static Tensor[] Equal(OnnxNode node, Tensor?[] inputs)
    {
        var a = node.Required(inputs, 0);
        var b = node.Required(inputs, 1);
        return [a.eq(Arithmetic.LegacyBroadcast(node, a, b))];
    }

    public static Tensor[] Not(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).logical_not()];

    /// <summary>y = condition ? x : y elementwise, the three broadcast together.</summary>
    public static Tensor[] Where(OnnxNode node, Tensor?[] inputs)
    {
        var condition = node.Required(inputs, 0);
        var x = node.Required(inputs, 1);
        var y = node.Required(inputs, 2);
        if (condition.dtype != ScalarType.Bool) condition = condition.ne(0);
        return [where(condition, x, y)];
    }
}
