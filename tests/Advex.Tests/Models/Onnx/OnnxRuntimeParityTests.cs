namespace Advex.Tests.Models.Onnx;

using Advex.Models.Onnx;
using Advex.Tests.Support;
using global::Onnx;
using Microsoft.ML.OnnxRuntime;
using static Advex.Tests.Models.Onnx.OnnxGraphs;
using static TorchSharp.torch;
using DataType = global::Onnx.TensorProto.Types.DataType;
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Single-node graphs at the newer opsets (18–21, beyond ONNX 1.12's backend test data) and at the attribute
/// combinations that differ between opsets, run through our translation and through ONNX Runtime (the reference):
/// same shape, values within 1e-5 abs + 1e-4 rel.
/// </summary>
public sealed class OnnxRuntimeParityTests
{
    /// <param name="Prefix">ops run on x first, each reading the previous one's output (e.g. Shape, or Relu then a
    /// Cast to bool for an op that needs a boolean input)</param>
    /// <param name="Outputs">how many outputs the node has; the graph's output y is output <paramref name="Pick"/></param>
    private sealed record Case(string Op, int Opset, long[] Shape, TensorProto?[] Inputs, AttributeProto[] Attributes,
        DataType Output = DataType.Float, string[]? Prefix = null, int Outputs = 1, int Pick = 0);

    private static readonly string[] ToBool = ["Relu", "CastBool"];

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["ReduceMean-18 axes input"] = new("ReduceMean", 18, [2, 3, 4, 5], [Int64s(1, 3)], [Int("keepdims", 0)]),
        ["ReduceMean-18 no axes"] = new("ReduceMean", 18, [2, 3, 4], [], []),
        ["ReduceMean-18 noop"] = new("ReduceMean", 18, [2, 3, 4], [], [Int("noop_with_empty_axes", 1)]),
        ["ReduceMean-13 axes attribute"] = new("ReduceMean", 13, [2, 3, 4], [], [Ints("axes", -1, 0)]),
        ["Pad-18 reflect on axes"] = new("Pad", 18, [1, 2, 5, 6], [Int64s(1, 2, 2, 1), null, Int64s(2, 3)], [Text("mode", "reflect")]),
        ["Pad-19 wrap"] = new("Pad", 19, [1, 2, 5, 6], [Int64s(0, 0, 1, 2, 0, 0, 2, 1)], [Text("mode", "wrap")]),
        ["Pad-21 edge"] = new("Pad", 21, [2, 5, 6], [Int64s(0, 2, 1, 0, 1, 3)], [Text("mode", "edge")]),
        ["Pad-21 constant crops"] = new("Pad", 21, [1, 2, 5, 6], [Int64s(0, 0, 1, -1, 0, 0, -2, 2), Float32s([], 0.5f)], []),
        ["Resize-18 axes linear"] = new("Resize", 18, [1, 2, 4, 6], [null, Float32s([2], 1.5f, 0.5f)], [Ints("axes", 2, 3), Text("mode", "linear")]),
        ["Resize-19 half_pixel_symmetric"] = new("Resize", 19, [1, 1, 4, 4], [null, Float32s([4], 1, 1, 0.6f, 1.7f)],
            [Text("mode", "linear"), Text("coordinate_transformation_mode", "half_pixel_symmetric")]),
        ["Resize-19 nearest sizes"] = new("Resize", 19, [1, 1, 4, 5], [null, null, Int64s(1, 1, 7, 3)],
            [Text("nearest_mode", "round_prefer_ceil"), Text("coordinate_transformation_mode", "asymmetric")]),
        ["Resize-21 cubic"] = new("Resize", 21, [1, 1, 5, 4], [null, Float32s([4], 1, 1, 1.6f, 0.75f)], [Text("mode", "cubic")]),
        ["Resize-13 linear align_corners sizes"] = new("Resize", 13, [1, 2, 3, 4], [null, null, Int64s(1, 2, 5, 7)],
            [Text("mode", "linear"), Text("coordinate_transformation_mode", "align_corners")]),
        ["Upsample-9 nearest"] = new("Upsample", 9, [1, 1, 2, 3], [Float32s([4], 1, 1, 2, 3)], []),
        ["Squeeze-21 axes input"] = new("Squeeze", 21, [2, 1, 3, 1], [Int64s(-1, 1)], []),
        ["Squeeze-21 all"] = new("Squeeze", 21, [2, 1, 3, 1], [], []),
        ["Unsqueeze-21"] = new("Unsqueeze", 21, [2, 3], [Int64s(0, -1)], []),
        ["Softmax-21 axis 1"] = new("Softmax", 21, [2, 3, 4], [], [Int("axis", 1)]),
        ["LogSoftmax-11 axis 1 (2-d coercion)"] = new("LogSoftmax", 11, [2, 3, 4], [], [Int("axis", 1)]),
        ["Softmax-11 default axis"] = new("Softmax", 11, [2, 3, 4], [], []),
        ["Clip-21 min only"] = new("Clip", 21, [2, 3, 4], [Float32s([], -0.3f)], []),
        ["Clip-21 max only"] = new("Clip", 21, [2, 3, 4], [null, Float32s([], 0.2f)], []),
        ["Clip-6 attributes"] = new("Clip", 6, [2, 3, 4], [], [Float("min", -0.3f), Float("max", 0.2f)]),
        ["MaxPool-21 ceil pads"] = new("MaxPool", 21, [1, 2, 7, 7], [], [Ints("kernel_shape", 3, 3), Ints("strides", 2, 2),
            Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1)]),
        ["MaxPool-21 dilations ceil"] = new("MaxPool", 21, [1, 1, 8, 8], [], [Ints("kernel_shape", 2, 2), Ints("dilations", 2, 2),
            Ints("strides", 2, 2), Int("ceil_mode", 1)]),
        ["MaxPool-21 SAME_LOWER 1-d"] = new("MaxPool", 21, [1, 2, 9], [], [Ints("kernel_shape", 4), Ints("strides", 2),
            Text("auto_pad", "SAME_LOWER")]),
        ["AveragePool-21 ceil count_include_pad"] = new("AveragePool", 21, [1, 2, 7, 7], [], [Ints("kernel_shape", 3, 3),
            Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1), Int("count_include_pad", 1)]),
        ["AveragePool-21 asymmetric pads"] = new("AveragePool", 21, [1, 2, 6, 6], [], [Ints("kernel_shape", 3, 3),
            Ints("strides", 2, 2), Ints("pads", 0, 1, 2, 1)]),
        ["AveragePool-21 SAME_UPPER"] = new("AveragePool", 21, [1, 1, 6, 7], [], [Ints("kernel_shape", 3, 3),
            Ints("strides", 2, 2), Text("auto_pad", "SAME_UPPER")]),
        ["GlobalAveragePool-21"] = new("GlobalAveragePool", 21, [2, 3, 4, 5], [], []),
        ["Conv-21 SAME_LOWER strided grouped"] = new("Conv", 21, [1, 4, 7, 6], [Random([4, 2, 3, 3], 1), Random([4], 2)],
            [Ints("strides", 2, 2), Int("group", 2), Text("auto_pad", "SAME_LOWER")]),
        ["Conv-21 dilated asymmetric pads 1-d"] = new("Conv", 21, [2, 3, 11], [Random([5, 3, 3], 3)],
            [Ints("dilations", 2), Ints("pads", 2, 1)]),
        ["ConvTranspose-21 output_shape"] = new("ConvTranspose", 21, [1, 2, 3, 4], [Random([2, 3, 3, 3], 4)],
            [Ints("strides", 2, 2), Ints("output_shape", 6, 8)]),
        ["ConvTranspose-21 SAME_UPPER"] = new("ConvTranspose", 21, [1, 2, 3, 3], [Random([2, 1, 3, 3], 5), Random([1], 6)],
            [Ints("strides", 2, 2), Text("auto_pad", "SAME_UPPER")]),
        ["ConvTranspose-21 pads output_padding dilations"] = new("ConvTranspose", 21, [1, 2, 4, 4], [Random([2, 2, 3, 3], 7)],
            [Ints("strides", 3, 2), Ints("pads", 1, 0, 2, 1), Ints("output_padding", 1, 1), Ints("dilations", 1, 2)]),
        ["Gemm-21 transposes alpha beta"] = new("Gemm", 21, [3, 4], [Random([5, 3], 8), Random([5], 9)],
            [Int("transA", 1), Int("transB", 1), Float("alpha", 0.7f), Float("beta", 1.3f)]),
        ["MatMul-21 batched"] = new("MatMul", 21, [2, 3, 4], [Random([4, 5], 10)], []),
        ["Add-21 broadcast"] = new("Add", 21, [2, 3, 4], [Random([3, 1], 11)], []),
        ["Div-21 broadcast"] = new("Div", 21, [2, 3, 4], [Float32s([4], 0.5f, -2f, 4f, 3f)], []),
        ["Mul-21"] = new("Mul", 21, [2, 3], [Random([2, 3], 12)], []),
        ["Sub-21"] = new("Sub", 21, [2, 3], [Random([3], 13)], []),
        ["HardSwish-21"] = new("HardSwish", 21, [2, 3, 4], [], []),
        ["HardSigmoid-21"] = new("HardSigmoid", 21, [2, 3, 4], [], [Float("alpha", 0.3f), Float("beta", 0.4f)]),
        ["Selu-21"] = new("Selu", 21, [2, 3, 4], [], [Float("alpha", 1.5f), Float("gamma", 1.1f)]),
        ["Elu-21"] = new("Elu", 21, [2, 3, 4], [], [Float("alpha", 0.7f)]),
        ["LeakyRelu-16"] = new("LeakyRelu", 16, [2, 3, 4], [], [Float("alpha", 0.2f)]),
        ["PRelu-16 per channel"] = new("PRelu", 16, [2, 3, 4, 4], [Random([3, 1, 1], 14)], []),
        ["Relu-21"] = new("Relu", 21, [2, 3], [], []),
        ["Sigmoid-21"] = new("Sigmoid", 21, [2, 3], [], []),
        ["Tanh-21"] = new("Tanh", 21, [2, 3], [], []),
        ["BatchNormalization-15"] = new("BatchNormalization", 15, [2, 3, 4, 4],
            [Random([3], 15), Random([3], 16), Random([3], 17), Float32s([3], 0.5f, 1.5f, 2f)], [Float("epsilon", 1e-3f)]),
        ["Dropout-21 inference"] = new("Dropout", 21, [2, 3], [], []),
        ["Identity-21"] = new("Identity", 21, [2, 3], [], []),
        ["Flatten-21 axis -1"] = new("Flatten", 21, [2, 3, 4], [], [Int("axis", -1)]),
        ["Reshape-21 0 and -1"] = new("Reshape", 21, [2, 3, 4], [Int64s(0, -1)], []),
        ["Transpose-21"] = new("Transpose", 21, [2, 3, 4], [], [Ints("perm", 1, 2, 0)]),
        ["Concat-21"] = new("Concat", 21, [2, 3, 4], [Random([2, 2, 4], 18)], [Int("axis", 1)]),
        ["Gather-21 negative indices"] = new("Gather", 21, [5, 3], [Int64s(-1, 0, 2)], [Int("axis", 0)]),
        ["Slice-13 negative steps"] = new("Slice", 13, [5, 6], [Int64s(-1, 4), Int64s(-100, 0), Int64s(0, 1), Int64s(-2, -1)], []),
        ["Slice-21 clamped starts and ends"] = new("Slice", 21, [2, 7, 4], [Int64s(1, -100), Int64s(100, 3), Int64s(1, -1), Int64s(2, 1)], []),
        ["Slice-9 attributes"] = new("Slice", 9, [3, 5], [], [Ints("starts", 1, -4), Ints("ends", 3, -1), Ints("axes", 0, 1)]),
        ["Cast-21 to int64 truncates"] = new("Cast", 21, [3, 4], [], [Int("to", (long)DataType.Int64)], DataType.Int64),
        ["Mod-21 fmod"] = new("Mod", 21, [2, 3, 4], [Float32s([4], 0.7f, -1.3f, 2f, -0.4f)], [Int("fmod", 1)]),
        ["Pow-15 broadcast"] = new("Pow", 15, [2, 3, 4], [Float32s([4], 2f, 3f, 1f, 0.5f)], []),
        ["Sqrt-13"] = new("Sqrt", 13, [2, 3, 4], [], []),
        ["Erf-13"] = new("Erf", 13, [2, 3, 4], [], []),
        ["Equal-19 broadcast"] = new("Equal", 19, [2, 3], [Float32s([3], 0f, 1f, 2f)], [], DataType.Bool, ["Relu"]),
        ["Not-13"] = new("Not", 13, [2, 3, 4], [], [], DataType.Bool, ToBool),
        ["Where-16 broadcast"] = new("Where", 16, [2, 3, 4], [Random([3, 4], 19), Random([4], 20)], [], DataType.Float, ToBool),
        ["LayerNormalization-17 last two axes"] = new("LayerNormalization", 17, [2, 3, 4], [Random([3, 4], 21), Random([3, 4], 22)],
            [Int("axis", -2), Float("epsilon", 1e-3f)]),
        ["LayerNormalization-17 broadcast scale no bias"] = new("LayerNormalization", 17, [2, 3, 4], [Random([1, 4], 23)], []),
        ["ConstantOfShape-20 of a shape"] = new("ConstantOfShape", 20, [2, 3, 4], [], [FloatValue(0.25f)], DataType.Float, ["Shape"]),
        ["Range-11 float"] = new("Range", 11, [], [Float32s([], 5f), Float32s([], 0.7f)], []),
        ["Expand-13 bidirectional"] = new("Expand", 13, [3, 1], [Int64s(2, 1, 4)], []),
        ["ScatterND-18 add repeated rows"] = new("ScatterND", 18, [4, 5], [Indices([3, 1], 1, -1, 1), Random([3, 5], 24)],
            [Text("reduction", "add")]),
        ["ScatterND-13 none on a 2-d index"] = new("ScatterND", 13, [4, 5, 2], [Indices([2, 2], 0, 1, 3, 4), Random([2, 2], 25)], []),
        ["Shape-21 start end"] = new("Shape", 21, [2, 3, 4, 5], [], [Int("start", 1), Int("end", -1)], DataType.Int64),
        ["Neg-13"] = new("Neg", 13, [2, 3, 4], [], []),
        ["Abs-13"] = new("Abs", 13, [2, 3, 4], [], []),
        ["Exp-13"] = new("Exp", 13, [2, 3, 4], [], []),
        ["Log-13 of |x|"] = new("Log", 13, [2, 3, 4], [], [], Prefix: ["Abs"]),
        ["Reciprocal-13"] = new("Reciprocal", 13, [2, 3, 4], [], []),
        ["Floor-13"] = new("Floor", 13, [2, 3, 4], [], []),
        ["Ceil-13"] = new("Ceil", 13, [2, 3, 4], [], []),
        ["Sin-7"] = new("Sin", 7, [2, 3, 4], [], []),
        ["Cos-7"] = new("Cos", 7, [2, 3, 4], [], []),
        ["Max-13 three inputs broadcast"] = new("Max", 13, [2, 3, 4], [Random([4], 26), Random([3, 1], 27)], []),
        ["Min-13 broadcast"] = new("Min", 13, [2, 3, 4], [Random([3, 4], 28)], []),
        ["Sum-13 three inputs broadcast"] = new("Sum", 13, [2, 3, 4], [Random([4], 29), Random([2, 1, 1], 30)], []),
        ["Mean-13 broadcast"] = new("Mean", 13, [2, 3, 4], [Random([3, 1], 31)], []),
        ["Less-13 broadcast"] = new("Less", 13, [2, 3, 4], [Random([4], 32)], [], DataType.Bool),
        ["Greater-13 broadcast"] = new("Greater", 13, [2, 3, 4], [Random([4], 33)], [], DataType.Bool),
        ["LessOrEqual-16 on ties"] = new("LessOrEqual", 16, [2, 3], [Float32s([3], 0f, 0.5f, 2f)], [], DataType.Bool, ["Relu"]),
        ["GreaterOrEqual-16 on ties"] = new("GreaterOrEqual", 16, [2, 3], [Float32s([3], 0f, 0.5f, 2f)], [], DataType.Bool, ["Relu"]),
        ["And-7 broadcast"] = new("And", 7, [2, 3], [Bools(true, false, true)], [], DataType.Bool, ToBool),
        ["Or-7 broadcast"] = new("Or", 7, [2, 3], [Bools(false, false, true)], [], DataType.Bool, ToBool),
        ["Xor-7 broadcast"] = new("Xor", 7, [2, 3], [Bools(true, false, true)], [], DataType.Bool, ToBool),
        ["Einsum-12 batched matmul"] = new("Einsum", 12, [2, 3, 4], [Random([2, 4, 5], 34)], [Text("equation", "bij,bjk->bik")]),
        ["Einsum-12 implicit output"] = new("Einsum", 12, [2, 3, 4], [Random([4, 3], 35)], [Text("equation", "nij,ji")]),
        ["Softplus-21"] = new("Softplus", 21, [2, 3, 4], [], []),
        ["Softsign-21"] = new("Softsign", 21, [2, 3, 4], [], []),
        ["GlobalMaxPool-21"] = new("GlobalMaxPool", 21, [2, 3, 4, 5], [], []),
        ["InstanceNormalization-21"] = new("InstanceNormalization", 21, [2, 3, 4, 5], [Random([3], 36), Random([3], 37)],
            [Float("epsilon", 1e-3f)]),
        ["LRN-13"] = new("LRN", 13, [2, 6, 3, 3], [], [Int("size", 3), Float("alpha", 0.3f), Float("beta", 0.6f),
            Float("bias", 1.5f)]),
        ["ReduceSum-13 axes input"] = new("ReduceSum", 13, [2, 3, 4, 5], [Int64s(1, -1)], [Int("keepdims", 0)]),
        ["ReduceSum-11 axes attribute"] = new("ReduceSum", 11, [2, 3, 4], [], [Ints("axes", 1)]),
        ["ReduceSum-13 noop"] = new("ReduceSum", 13, [2, 3, 4], [], [Int("noop_with_empty_axes", 1)]),
        ["ReduceMax-18 axes input"] = new("ReduceMax", 18, [2, 3, 4], [Int64s(0, 2)], []),
        ["ReduceMin-13 axes attribute"] = new("ReduceMin", 13, [2, 3, 4], [], [Ints("axes", -1), Int("keepdims", 0)]),
        ["ReduceProd-18 two axes"] = new("ReduceProd", 18, [2, 3, 4], [Int64s(0, 2)], [Int("keepdims", 0)]),
        ["ReduceL1-18"] = new("ReduceL1", 18, [2, 3, 4], [Int64s(1)], []),
        ["ReduceL2-18 all axes"] = new("ReduceL2", 18, [2, 3, 4], [], [Int("keepdims", 0)]),
        ["ReduceSumSquare-18"] = new("ReduceSumSquare", 18, [2, 3, 4], [Int64s(-1)], []),
        ["ReduceLogSum-18 of |x|"] = new("ReduceLogSum", 18, [2, 3, 4], [Int64s(1)], [], Prefix: ["Abs"]),
        ["ReduceLogSumExp-18"] = new("ReduceLogSumExp", 18, [2, 3, 4], [Int64s(0, 1)], [Int("keepdims", 0)]),
        ["Tile-13"] = new("Tile", 13, [2, 3], [Int64s(2, 3)], []),
        ["Split-18 num_outputs uneven, last part"] = new("Split", 18, [2, 7], [], [Int("axis", 1), Int("num_outputs", 3)],
            Outputs: 3, Pick: 2),
        ["Split-13 sizes input"] = new("Split", 13, [5, 3], [Int64s(2, 3)], [], Outputs: 2, Pick: 1),
        ["Split-11 sizes attribute"] = new("Split", 11, [2, 6], [], [Int("axis", -1), Ints("split", 1, 5)], Outputs: 2, Pick: 1),
        ["Split-13 equal parts"] = new("Split", 13, [2, 6], [], [Int("axis", 1)], Outputs: 3, Pick: 1),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Single_node_graph_matches_onnx_runtime(string name)
    {
        using var _ = new SingleThread();
        var c = Cases[name];
        var model = WithInputs(c.Op, c.Opset, c.Shape, c.Inputs.Select(t => t?.Clone()).ToArray(), c.Attributes, c.Output);
        AddPrefix(model, c.Prefix ?? []);
        var outputs = model.Graph.Node[^1].Output;
        outputs.Clear();
        outputs.AddRange(Enumerable.Range(0, c.Outputs).Select(i => i == c.Pick ? "y" : $"unused{i}"));
        var path = Save(model);
        using var scope = NewDisposeScope();
        var x = randn(c.Shape, generator: new Generator((ulong)name.Length));
        using var module = new OnnxGraphModule(OnnxFile.Read(path), path);
        Tensor ours;
        using (no_grad()) ours = module.Run([x])[0];
        var reference = OnnxRuntime(path, x, c.Output);
        Assert.Equal(reference.shape, ours.shape);
        // NaN where both give NaN (Sqrt of a negative) counts as equal
        var excess = OnnxFixture.Excess(ours.to_type(ScalarType.Float64).nan_to_num(7), reference.to_type(ScalarType.Float64).nan_to_num(7), 1e-5, 1e-4);
        Assert.True(excess <= 0, $"{name}: differs from ONNX Runtime by {excess:G3} beyond the tolerance");
    }

    /// <summary>ONNX Runtime refuses an even LRN size, so this window is checked by hand: with size 2 the sum for channel
    /// c covers c and c + 1 (ONNX: c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉; torch's own would cover c − 1 and c).</summary>
    [Fact]
    public void LRN_with_an_even_size_sums_onnx_channel_window()
    {
        var path = Save(WithInputs("LRN", 13, [1, 3, 1, 1], [], [Int("size", 2), Float("alpha", 2f), Float("beta", 1f),
            Float("bias", 0f)]));
        using var module = new OnnxGraphModule(OnnxFile.Read(path), path);
        using var x = tensor(new float[] { 1, 2, 3 }).reshape(1, 3, 1, 1);
        using var y = module.Run([x])[0];
        // y_c = x_c / (alpha/size · Σ x²) = x_c / Σ x² over {c, c + 1}: 1/(1+4), 2/(4+9), 3/9
        var expected = new[] { 1f / 5, 2f / 13, 3f / 9 };
        var actual = y.flatten().data<float>().ToArray();
        for (var c = 0; c < 3; c++) Assert.Equal(expected[c], actual[c], 1e-6f);
    }

    [Fact]
    public void Every_registered_op_but_Constant_has_a_parity_case()
    {
        var covered = Cases.Values.Select(c => c.Op).ToHashSet();
        var missing = OnnxOps.Names.Where(op => op != "Constant" && !covered.Contains(op)).ToList();
        Assert.True(missing.Count == 0, $"no ONNX Runtime parity case for {string.Join(", ", missing)}");
    }

    /// <summary>Puts the prefix ops between the graph input x and the node under test.</summary>
    private static void AddPrefix(ModelProto model, string[] prefix)
    {
        var previous = "x";
        for (var i = 0; i < prefix.Length; i++)
        {
            var node = new NodeProto { OpType = prefix[i] == "CastBool" ? "Cast" : prefix[i], Name = $"prefix{i}" };
            if (prefix[i] == "CastBool") node.Attribute.Add(Int("to", (long)DataType.Bool));
            node.Input.Add(previous);
            node.Output.Add(previous = $"p{i}");
            model.Graph.Node.Insert(i, node);
        }
        model.Graph.Node[prefix.Length].Input[0] = previous;
    }

    private static AttributeProto FloatValue(float value) =>
        new() { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Float32s([1], value) };

    private static TensorProto Bools(params bool[] values)
    {
        var t = new TensorProto { DataType = (int)DataType.Bool };
        t.Dims.Add(values.Length);
        t.Int32Data.AddRange(values.Select(v => v ? 1 : 0));
        return t;
    }

    private static TensorProto Indices(long[] dims, params long[] values)
    {
        var t = Int64s(values);
        t.Dims.Clear();
        t.Dims.AddRange(dims);
        return t;
    }

    private static TensorProto Random(long[] dims, int seed)
    {
        var rng = new Random(seed);
        var count = (int)dims.Aggregate(1L, (p, d) => p * d);
        return Float32s(dims, Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
    }

    private static Tensor OnnxRuntime(string path, Tensor x, DataType output)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(x.contiguous().data<float>().ToArray(),
            x.shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);
        var result = results.Single();
        if (output == DataType.Bool)
        {
            var bools = result.AsTensor<bool>();
            return tensor(bools.ToArray()).reshape(bools.Dimensions.ToArray().Select(d => (long)d).ToArray());
        }
        if (output == DataType.Int64)
        {
            var longs = result.AsTensor<long>();
            return tensor(longs.ToArray()).reshape(longs.Dimensions.ToArray().Select(d => (long)d).ToArray());
        }
        var floats = result.AsTensor<float>();
        return tensor(floats.ToArray()).reshape(floats.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }
}
