namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>Pointwise activations with ONNX's attribute defaults.</summary>
internal static class Activations
{
    public static Tensor[] Relu(OnnxNode node, Tensor?[] inputs) => [F.relu(node.Required(inputs, 0))];

    public static Tensor[] LeakyRelu(OnnxNode node, Tensor?[] inputs) =>
        [F.leaky_relu(node.Required(inputs, 0), node.Float("alpha", 0.01))];

    /// <summary>y = x for x ≥ 0, slope·x otherwise; opset 6 lets a [C] slope apply per channel.</summary>
    public static Tensor[] PRelu(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var slope = node.Required(inputs, 1);
        if (node.Opset < 7 && slope.dim() == 1 && x.dim() > 2 && slope.shape[0] == x.shape[1] && slope.shape[0] != 1)
            slope = slope.reshape([slope.shape[0], .. Enumerable.Repeat(1L, (int)x.dim() - 2)]);
        return [where(x < 0, x * slope, x)];
    }

    public static Tensor[] Elu(OnnxNode node, Tensor?[] inputs) =>
        [F.elu(node.Required(inputs, 0), node.Float("alpha", 1.0))];

    /// <summary>y = gamma · (x for x &gt; 0, alpha·(eˣ − 1) otherwise).</summary>
    public static Tensor[] Selu(OnnxNode node, Tensor?[] inputs) =>
        [node.Float("gamma", 1.05070102214813232421875) *
         F.elu(node.Required(inputs, 0), node.Float("alpha", 1.67326319217681884765625))];

    public static Tensor[] Sigmoid(OnnxNode node, Tensor?[] inputs) => [sigmoid(node.Required(inputs, 0))];

    public static Tensor[] Tanh(OnnxNode node, Tensor?[] inputs) => [tanh(node.Required(inputs, 0))];

    /// <summary>y = max(0, min(1, alpha·x + beta)).</summary>
    public static Tensor[] HardSigmoid(OnnxNode node, Tensor?[] inputs) =>
        [(node.Float("alpha", 0.2) * node.Required(inputs, 0) + node.Float("beta", 0.5)).clamp(0, 1)];

    /// <summary>y = x · max(0, min(1, x/6 + 1/2)).</summary>
    public static Tensor[] HardSwish(OnnxNode node, Tensor?[] inputs) => [F.hardswish(node.Required(inputs, 0))];

    public static Tensor[] Softmax(OnnxNode node, Tensor?[] inputs) => SoftmaxLike(node, inputs, (x, d) => x.softmax(d));

    public static Tensor[] LogSoftmax(OnnxNode node, Tensor?[] inputs) =>
        SoftmaxLike(node, inputs, (x, d) => x.log_softmax(d));

    /// <summary>
    /// Opset ≥ 13: along <c>axis</c> (default −1). Before 13: the input is seen as a matrix
    /// [prod(d₀..d_axis−1), prod(d_axis..)] (axis default 1) and normalised over each row.
    /// </summary>
    private static Tensor[] SoftmaxLike(OnnxNode node, Tensor?[] inputs, Func<Tensor, long, Tensor> op)
    {
        var x = node.Required(inputs, 0);
        if (node.Opset >= 13) return [op(x, node.Axis(node.Int("axis", -1), x.dim()))];
        var axis = x.dim() == 0 ? 0 : node.Axis(node.Int("axis", 1), x.dim());
        var rows = x.shape.Take((int)axis).Aggregate(1L, (p, d) => p * d);
        return [op(x.reshape(rows, -1), 1).reshape(x.shape)];
    }

    /// <summary>Clamp to [min, max]: attributes before opset 11, optional inputs from 11.</summary>
    public static Tensor[] Clip(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        double? lo, hi;
        if (node.Opset < 11)
        {
            lo = node.Has("min") ? node.Float("min", 0) : null;
            hi = node.Has("max") ? node.Float("max", 0) : null;
        }
        else
        {
            lo = inputs.Length > 1 && inputs[1] is { } min ? OnnxNode.Doubles(min).Single() : null;
            hi = inputs.Length > 2 && inputs[2] is { } max ? OnnxNode.Doubles(max).Single() : null;
        }
        var y = x.alias();
        if (x.is_floating_point())
        {
            if (lo is { } l) y = y.clamp_min(l);
            if (hi is { } h) y = y.clamp_max(h);
        }
        else
        {
            if (lo is { } l) y = y.clamp_min((long)l);
            if (hi is { } h) y = y.clamp_max((long)h);
        }
        return [y];
    }

    /// <summary>y = ln(1 + eˣ).</summary>
    public static Tensor[] Softplus(OnnxNode node, Tensor?[] inputs) => [F.softplus(node.Required(inputs, 0))];

    /// <summary>y = x / (1 + |x|).</summary>
    public static Tensor[] Softsign(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        return [x / (x.abs() + 1)];
    }
}
