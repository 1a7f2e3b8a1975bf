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

    private static ValueInfoProto Value(string name, long[]? shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (shape is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (var d in shape) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
