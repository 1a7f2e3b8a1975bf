namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Pointwise math: Neg, Abs, Sqrt, Exp, Log, Reciprocal, Floor, Ceil, Sin, Cos, Erf (GELU's exact form is
/// 0.5·x·(1 + erf(x/√2))) and Pow. Functions ONNX defines on floating types only refuse any other input.
/// </summary>
internal static class Elementwise
{
    public static Tensor[] Neg(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).neg()];

    public static Tensor[] Abs(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).abs()];

    public static Tensor[] Sqrt(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).sqrt()];

    public static Tensor[] Exp(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).exp()];

    public static Tensor[] Log(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).log()];

    public static Tensor[] Reciprocal(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).reciprocal()];

    public static Tensor[] Floor(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).floor()];

    public static Tensor[] Ceil(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).ceil()];

    public static Tensor[] Sin(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).sin()];

    public static Tensor[] Cos(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).cos()];

    public static Tensor[] Erf(OnnxNode node, Tensor?[] inputs) => [Floating(node, inputs).erf()];

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

    private static Tensor Floating(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        return x.is_floating_point() ? x : throw node.Unsupported($"an input of type {x.dtype}");
    }
}
