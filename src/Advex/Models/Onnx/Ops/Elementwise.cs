namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Pointwise math: Sqrt, Erf (GELU's exact form is 0.5·x·(1 + erf(x/√2))) and Pow.</summary>
internal static class Elementwise
{
    public static Tensor[] Sqrt(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).sqrt()];

    public static Tensor[] Erf(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        return x.is_floating_point() ? [x.erf()] : throw node.Unsupported($"an input of type {x.dtype}");
    }

    /// <summary>
    /// y = a^b with NumPy broadcasting; the result has the base's type (an integer base with a floating exponent
    /// truncates, as ONNX's reference casts the result back to the base type).
    /// </summary>
    public static Tensor[] Pow(OnnxNode node, Tensor?[] inputs)
    {
        var a = node.Required(inputs, 0);
        var b = Arithmetic.LegacyBroadcast(node, a, node.Required(inputs, 1));
        if (a.is_floating_point()) return [a.pow(b.is_floating_point() ? b : b.to_type(a.dtype))];
        if (!b.is_floating_point()) return [a.pow(b)];
        return [a.to_type(ScalarType.Float64).pow(b.to_type(ScalarType.Float64)).to_type(a.dtype)];
    }
}
