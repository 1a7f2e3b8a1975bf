namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Max, Min, Sum and Mean of any number of inputs, elementwise with NumPy broadcasting (opset 8 on; opset 6's equal
/// shapes are the special case). Max and Min pass the gradient to the input that holds the extreme value.
/// </summary>
internal static class Variadic
{
    public static Tensor[] Max(OnnxNode node, Tensor?[] inputs) => [Fold(node, inputs, maximum)];

    public static Tensor[] Min(OnnxNode node, Tensor?[] inputs) => [Fold(node, inputs, minimum)];

    public static Tensor[] Sum(OnnxNode node, Tensor?[] inputs) => [Fold(node, inputs, (a, b) => a + b)];

    public static Tensor[] Mean(OnnxNode node, Tensor?[] inputs)
    {
        var sum = Fold(node, inputs, (a, b) => a + b);
        return sum.is_floating_point() ? [sum / inputs.Length] : throw node.Unsupported($"an input of type {sum.dtype}");
    }

    private static Tensor Fold(OnnxNode node, Tensor?[] inputs, Func<Tensor, Tensor, Tensor> op)
    {
        var result = node.Required(inputs, 0);
        if (inputs.Length == 1) return result.alias();
        for (var i = 1; i < inputs.Length; i++) result = op(result, node.Required(inputs, i));
        return result;
    }
}
