namespace Advex.Models.Onnx;

using Advex.Models.Onnx.Ops;

/// <summary>
/// Every supported ONNX op (default domain) by name: the opset range its converter implements, the attributes it
/// understands and the converter. The graph module refuses a node whose op, opset or attribute is not listed here,
/// and the contract tests iterate the registry, so an op added here is checked like the others.
/// </summary>
public static class OnnxOps
{
    /// <summary>The oldest opset any converter implements (opset 6 covers the legacy broadcast and is_test attributes).</summary>
    public const int MinOpset = 6;
    /// <summary>The newest opset whose changes the converters have been checked against.</summary>
    public const int MaxOpset = 21;

    public sealed record Entry(string Name, int FirstOpset, int LastOpset, IReadOnlySet<string> Attributes, OnnxConverter Convert);

    private static readonly string[] Pads = ["auto_pad", "kernel_shape", "pads", "strides", "dilations"];
    private static readonly string[] Broadcast = ["broadcast", "axis"];
    private static readonly string[] Reduce = ["axes", "keepdims", "noop_with_empty_axes"];

    private static readonly Dictionary<string, Entry> Entries = new[]
    {
        Op("Add", Arithmetic.Add, Broadcast),
        Op("Sub", Arithmetic.Sub, Broadcast),
        Op("Mul", Arithmetic.Mul, Broadcast),
        Op("Div", Arithmetic.Div, Broadcast),
        Op("Mod", Arithmetic.Mod, "fmod") with { FirstOpset = 10 },
        Op("Pow", Elementwise.Pow, Broadcast),
        Op("Neg", Elementwise.Neg),
        Op("Abs", Elementwise.Abs),
        Op("Sqrt", Elementwise.Sqrt),
        Op("Exp", Elementwise.Exp),
        Op("Log", Elementwise.Log),
        Op("Reciprocal", Elementwise.Reciprocal),
        Op("Floor", Elementwise.Floor),
        Op("Ceil", Elementwise.Ceil),
        Op("Sin", Elementwise.Sin) with { FirstOpset = 7 },
        Op("Cos", Elementwise.Cos) with { FirstOpset = 7 },
        Op("Erf", Elementwise.Erf) with { FirstOpset = 9 },
        Op("Max", Variadic.Max),
        Op("Min", Variadic.Min),
        Op("Sum", Variadic.Sum),
        Op("Mean", Variadic.Mean),
        Op("Equal", Logic.Equal, Broadcast),
        Op("Less", Logic.Less, Broadcast),
        Op("Greater", Logic.Greater, Broadcast),
        Op("LessOrEqual", Logic.LessOrEqual) with { FirstOpset = 12 },
        Op("GreaterOrEqual", Logic.GreaterOrEqual) with { FirstOpset = 12 },
        Op("And", Logic.And, Broadcast),
        Op("Or", Logic.Or, Broadcast),
        Op("Xor", Logic.Xor, Broadcast),
        Op("Not", Logic.Not) with { FirstOpset = 1 }, // unchanged since opset 1
        Op("Where", Logic.Where) with { FirstOpset = 9 },
        Op("MatMul", LinearAlgebra.MatMul),
        Op("Gemm", LinearAlgebra.Gemm, "alpha", "beta", "transA", "transB", "broadcast"),
        Op("Einsum", LinearAlgebra.Einsum, "equation") with { FirstOpset = 12 },
        Op("Conv", Convolution.Conv, [.. Pads, "group"]),
        Op("ConvTranspose", Convolution.ConvTranspose, [.. Pads, "group", "output_padding", "output_shape"]),
        Op("Relu", Activations.Relu),
        Op("LeakyRelu", Activations.LeakyRelu, "alpha"),
        Op("PRelu", Activations.PRelu),
        Op("Elu", Activations.Elu, "alpha"),
        Op("Selu", Activations.Selu, "alpha", "gamma"),
        Op("Sigmoid", Activations.Sigmoid),
        Op("Tanh", Activations.Tanh),
        Op("HardSigmoid", Activations.HardSigmoid, "alpha", "beta"),
        Op("HardSwish", Activations.HardSwish) with { FirstOpset = 14 },
        Op("Softplus", Activations.Softplus) with { FirstOpset = 1 }, // unchanged since opset 1
        Op("Softsign", Activations.Softsign) with { FirstOpset = 1 }, // unchanged since opset 1
        Op("Softmax", Activations.Softmax, "axis"),
        Op("LogSoftmax", Activations.LogSoftmax, "axis"),
        Op("Clip", Activations.Clip, "min", "max"),
        Op("MaxPool", Pooling.MaxPool, [.. Pads, "ceil_mode", "storage_order"]),
        Op("AveragePool", Pooling.AveragePool, [.. Pads, "ceil_mode", "count_include_pad"]),
        Op("GlobalAveragePool", Pooling.GlobalAveragePool) with { FirstOpset = 1 }, // unchanged since opset 1
        Op("GlobalMaxPool", Pooling.GlobalMaxPool) with { FirstOpset = 1 }, // unchanged since opset 1
        Op("BatchNormalization", BatchNorm.BatchNormalization, "epsilon", "momentum", "is_test", "spatial", "training_mode"),
        Op("LayerNormalization", LayerNorm.LayerNormalization, "axis", "epsilon", "stash_type") with { FirstOpset = 17 },
        Op("InstanceNormalization", InstanceNorm.InstanceNormalization, "epsilon"),
        Op("LRN", LocalResponseNorm.Lrn, "alpha", "beta", "bias", "size") with { FirstOpset = 1 }, // unchanged since opset 1
        Op("Dropout", BatchNorm.Dropout, "ratio", "is_test", "seed"),
        Op("Flatten", Shapes.Flatten, "axis"),
        Op("Reshape", Shapes.Reshape, "allowzero"),
        Op("Transpose", Shapes.Transpose, "perm"),
        Op("Concat", Shapes.Concat, "axis"),
        Op("Identity", Shapes.Identity),
        Op("Shape", Shapes.Shape, "start", "end"),
        Op("Gather", Shapes.Gather, "axis"),
        Op("Unsqueeze", Shapes.Unsqueeze, "axes"),
        Op("Squeeze", Shapes.Squeeze, "axes"),
        Op("Constant", Constants.Constant, "value", "value_float", "value_floats", "value_int", "value_ints"),
        Op("ConstantOfShape", Constants.ConstantOfShape, "value") with { FirstOpset = 9 },
        Op("Range", Constants.Range) with { FirstOpset = 11 },
        Op("Expand", Shapes.Expand) with { FirstOpset = 8 },
        Op("Tile", Shapes.Tile),
        Op("Split", Splitting.Split, "axis", "split", "num_outputs"),
        Op("ScatterND", Scatter.ScatterND, "reduction") with { FirstOpset = 11 },
        Op("Pad", Padding.Pad, "mode", "pads", "value"),
        Op("Slice", Slicing.Slice, "starts", "ends", "axes"),
        Op("Cast", Casting.Cast, "to", "saturate"),
        Op("ReduceMean", Reductions.ReduceMean, Reduce),
        Op("ReduceSum", Reductions.ReduceSum, Reduce),
        Op("ReduceMax", Reductions.ReduceMax, Reduce),
        Op("ReduceMin", Reductions.ReduceMin, Reduce),
        Op("ReduceProd", Reductions.ReduceProd, Reduce),
        Op("ReduceL1", Reductions.ReduceL1, Reduce),
        Op("ReduceL2", Reductions.ReduceL2, Reduce),
        Op("ReduceSumSquare", Reductions.ReduceSumSquare, Reduce),
        Op("ReduceLogSum", Reductions.ReduceLogSum, Reduce),
        Op("ReduceLogSumExp", Reductions.ReduceLogSumExp, Reduce),
        Op("Resize", Resizing.Resize, "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
            "exclude_outside", "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy") with { FirstOpset = 10 },
        Op("Upsample", Resizing.Upsample, "mode", "scales") with { FirstOpset = 7, LastOpset = 10 },
    }.ToDictionary(e => e.Name);

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    public static IEnumerable<Entry> All => Entries.Values;

    public static bool Exists(string op) => Entries.ContainsKey(op);

    /// <summary>The entry for a node, or an OnnxUnsupportedException naming the op, the node and the opset.</summary>
    public static Entry For(OnnxNode node)
    {
        if (node.Proto.Domain is not ("" or "ai.onnx"))
            throw node.Unsupported($"the operator domain '{node.Proto.Domain}'");
        if (!Entries.TryGetValue(node.OpType, out var entry)) throw node.Unsupported("this op");
        if (node.Opset < entry.FirstOpset || node.Opset > entry.LastOpset)
            throw node.Unsupported($"opset {node.Opset} (supported: {entry.FirstOpset}–{entry.LastOpset})");
        var unknown = node.AttributeNames.Where(a => !entry.Attributes.Contains(a)).ToList();
        if (unknown.Count > 0) throw node.Unsupported($"the attribute(s) {string.Join(", ", unknown)}");
        return entry;
    }

    private static Entry Op(string name, OnnxConverter convert, params string[] attributes) =>
        new(name, MinOpset, MaxOpset, attributes.ToHashSet(), convert);
}
