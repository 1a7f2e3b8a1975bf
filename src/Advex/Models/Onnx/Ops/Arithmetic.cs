namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Add, Sub, Mul, Div, Mod with NumPy broadcasting (opset ≥ 7) or the legacy broadcast/axis attributes (opset 6).</summary>
internal static class Arithmetic
{
    public static Tensor[] Add(OnnxNode node, Tensor?[] inputs) => Binary(node, inputs, (a, b) => a + b);

    public static Tensor[] Sub(OnnxNode node, Tensor?[] inputs) => Binary(node, inputs, (a, b) => a - b);

    public static Tensor[] Mul(OnnxNode node, Tensor?[] inputs) => Binary(node, inputs, (a, b) => a * b);

    /// <summary>Integer division truncates toward zero, as in ONNX (C semantics).</summary>
    public static Tensor[] Div(OnnxNode node, Tensor?[] inputs) => Binary(node, inputs, (a, b) =>
        a.is_floating_point() || b.is_floating_point() ? a / b : a.div(b, RoundingMode.trunc));

    /// <summary>
    /// fmod=0 (integers only): the remainder takes the divisor's sign, as Python's %; fmod=1: the dividend's, as C's
    /// fmod (required for floating inputs).
    /// </summary>
    public static Tensor[] Mod(OnnxNode node, Tensor?[] inputs)
    {
        var fmod = node.Int("fmod", 0) != 0;
        var a = node.Required(inputs, 0);
        if (!fmod && a.is_floating_point()) throw node.Unsupported("fmod=0 on floating inputs");
        return Binary(node, inputs, (x, y) => fmod ? x.fmod(y) : x.remainder(y));
    }

    /// <summary>op(A, B) after the opset-6 legacy broadcast of B (NumPy broadcasting from opset 7).</summary>
    internal static Tensor[] Binary(OnnxNode node, Tensor?[] inputs, Func<Tensor, Tensor, Tensor> op)
    {
        var a = node.Required(inputs, 0);
        var b = node.Required(inputs, 1);
        return [op(a, LegacyBroadcast(node, a, b))];
    }

    /// <summary>
    /// Opset 6: with broadcast=1, B's dimensions line up with A's starting at <c>axis</c> (default: the trailing
    /// dimensions, which is NumPy broadcasting); with broadcast=0 the shapes must be equal.
    /// </summary>
    internal static Tensor LegacyBroadcast(OnnxNode node, Tensor a, Tensor b)
    {
        if (node.Opset >= 7) return b;
        if (node.Int("broadcast", 0) == 0)
        {
            if (!a.shape.SequenceEqual(b.shape))
                throw node.Unsupported($"shapes [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}] without broadcast=1");
            return b;
        }
        if (!node.Has("axis")) return b;
        var axis = node.Axis(node.Int("axis", 0), a.dim());
        var trailing = a.dim() - axis - b.dim();
        if (trailing < 0) throw node.Unsupported($"broadcasting a rank-{b.dim()} B at axis {axis} of a rank-{a.dim()} A");
        return b.reshape([.. b.shape, .. Enumerable.Repeat(1L, (int)trailing)]);
    }
}
