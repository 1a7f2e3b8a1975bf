namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// Comparisons, boolean logic and selection: Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor, Not,
/// Where (NumPy broadcasting, or opset 6's broadcast/axis attributes; booleans held as bool tensors).
/// </summary>
internal static class Logic
{
    public static Tensor[] Equal(OnnxNode node, Tensor?[] inputs) => Arithmetic.Binary(node, inputs, (a, b) => a.eq(b));

    public static Tensor[] Less(OnnxNode node, Tensor?[] inputs) => Arithmetic.Binary(node, inputs, (a, b) => a.lt(b));

    public static Tensor[] Greater(OnnxNode node, Tensor?[] inputs) => Arithmetic.Binary(node, inputs, (a, b) => a.gt(b));

    public static Tensor[] LessOrEqual(OnnxNode node, Tensor?[] inputs) => Arithmetic.Binary(node, inputs, (a, b) => a.le(b));

    public static Tensor[] GreaterOrEqual(OnnxNode node, Tensor?[] inputs) => Arithmetic.Binary(node, inputs, (a, b) => a.ge(b));

    public static Tensor[] And(OnnxNode node, Tensor?[] inputs) =>
        Arithmetic.Binary(node, inputs, (a, b) => Bool(a).logical_and(Bool(b)));

    public static Tensor[] Or(OnnxNode node, Tensor?[] inputs) =>
        Arithmetic.Binary(node, inputs, (a, b) => Bool(a).logical_or(Bool(b)));

    public static Tensor[] Xor(OnnxNode node, Tensor?[] inputs) =>
        Arithmetic.Binary(node, inputs, (a, b) => Bool(a).logical_xor(Bool(b)));

    public static Tensor[] Not(OnnxNode node, Tensor?[] inputs) => [node.Required(inputs, 0).logical_not()];

    /// <summary>y = condition ? x : y elementwise, the three broadcast together.</summary>
    public static Tensor[] Where(OnnxNode node, Tensor?[] inputs)
    {
        var condition = node.Required(inputs, 0);
        var x = node.Required(inputs, 1);
        var y = node.Required(inputs, 2);
        return [where(Bool(condition), x, y)];
    }

    private static Tensor Bool(Tensor t) => t.dtype == ScalarType.Bool ? t : t.ne(0);
}
