namespace Advex.Tests.Models.Onnx;

using Advex.Tests.Support;
using Google.Protobuf;
using global::Onnx;

/// <summary>Builds tiny ONNX models in memory (one node reading float input x [1,3,4,4], writing y) for error tests.</summary>
public static class OnnxGraphs
{
    public static ModelProto SingleNode(string op, int opset, string nodeName = "node0", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = nodeName };
        node.Input.Add("x");
        node.Output.Add("y");
        node.Attribute.AddRange(attributes);
        var graph = new GraphProto { Name = "test" };
        graph.Node.Add(node);
        graph.Input.Add(Value("x", [1, 3, 4, 4]));
        graph.Output.Add(Value("y", null));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>
    /// One node reading the float graph input x of <paramref name="shape"/> and then the given initializers (null:
    /// an omitted optional input), writing y of element type <paramref name="output"/>.
    /// </summary>
    public static ModelProto WithInputs(string op, int opset, long[] shape, TensorProto?[] initializers,
        AttributeProto[] attributes, TensorProto.Types.DataType output = TensorProto.Types.DataType.Float)
    {
        var model = SingleNode(op, opset, "node0", attributes);
        model.Graph.Input[0] = Value("x", shape);
        model.Graph.Output[0] = Value("y", null, output);
        for (var i = 0; i < initializers.Length; i++)
        {
            if (initializers[i] is not { } t)
            {
                model.Graph.Node[0].Input.Add("");
                continue;
            }
            t.Name = $"in{i + 1}";
            model.Graph.Node[0].Input.Add(t.Name);
            model.Graph.Initializer.Add(t);
        }
        return model;
    }

    public static TensorProto Int64s(params long[] values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return t;
    }

    /// <summary>A float tensor; a scalar when <paramref name="dims"/> is empty and there is one value.</summary>
    public static TensorProto Float32s(long[] dims, params float[] values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>Writes the model to a fresh temporary .onnx file and returns its path.</summary>
    public static string Save(ModelProto model)
    {
        var path = Path.Combine(Paths.TempDir(), "model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static ValueInfoProto Value(string name, long[]? shape,
        TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shape is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var d in shape) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
