namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// MatMul (NumPy matmul semantics), Gemm: Y = alpha·A'·B' + beta·C with A' = Aᵀ when transA, B' = Bᵀ when transB,
/// and Einsum (the equation in Einstein notation, with an explicit or implicit output and ellipses).
/// </summary>
internal static class LinearAlgebra
{
    public static Tensor[] MatMul(OnnxNode node, Tensor?[] inputs) =>
        [matmul(node.Required(inputs, 0), node.Required(inputs, 1))];

    public static Tensor[] Gemm(OnnxNode node, Tensor?[] inputs)
    {
        var a = node.Required(inputs, 0);
        var b = node.Required(inputs, 1);
        if (a.dim() != 2 || b.dim() != 2) throw node.Unsupported($"inputs of rank {a.dim()} and {b.dim()} (Gemm needs 2)");
        if (node.Int("transA", 0) != 0) a = a.t();
        if (node.Int("transB", 0) != 0) b = b.t();
        var y = a.mm(b);
        var alpha = node.Float("alpha", 1.0);
        if (alpha != 1.0) y = y * alpha;
        if (inputs.Length > 2 && inputs[2] is { } c)
        {
            var beta = node.Float("beta", 1.0);
            if (node.Opset < 7 && node.Int("broadcast", 0) == 0 && !c.shape.SequenceEqual(y.shape))
                throw node.Unsupported($"C of shape [{string.Join(",", c.shape)}] without broadcast=1");
            y = beta == 1.0 ? y + c : y + beta * c;
        }
        return [y];
    }

    public static Tensor[] Einsum(OnnxNode node, Tensor?[] inputs)
    {
        var equation = node.String("equation", "");
        if (equation.Length == 0) throw node.Unsupported("an empty equation");
        var operands = inputs.Select((_, i) => node.Required(inputs, i)).ToArray();
        return [einsum(equation.Replace(" ", ""), operands)];
    }
}
