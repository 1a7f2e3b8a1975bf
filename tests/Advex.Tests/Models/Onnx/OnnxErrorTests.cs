namespace Advex.Tests.Models.Onnx;

using Advex.Models;
using Advex.Models.Onnx;
using Advex.Tests.Support;
using Google.Protobuf;
using global::Onnx;

/// <summary>Bad files and unsupported graphs are one clear AdvexException naming the file, or the op, node and opset.</summary>
public sealed class OnnxErrorTests
{
    [Fact]
    public void Corrupt_bytes_are_an_AdvexException_naming_the_file()
    {
        var path = Path.Combine(Paths.TempDir(), "junk.onnx");
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0x0a, 0x6e, 0x6f, 0x74, 0x20, 0x6f, 0x6e, 0x6e, 0x78]);
        var e = Assert.ThrowsAny<AdvexException>(() => ModelStore.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_truncated_model_is_an_AdvexException_naming_the_file()
    {
        var bytes = File.ReadAllBytes(OnnxFixture.OnnxPath);
        var path = Path.Combine(Paths.TempDir(), "truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsAny<AdvexException>(() => ModelStore.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void An_unsupported_op_names_the_op_the_node_and_the_opset()
    {
        var path = OnnxGraphs.Save(OnnxGraphs.SingleNode("Trilu", 14, "my_mask"));
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(path));
        Assert.Contains("Trilu", e.Message);
        Assert.Contains("'my_mask'", e.Message);
        Assert.Contains("opset 14", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void An_opset_outside_the_converters_range_is_refused()
    {
        var path = OnnxGraphs.Save(OnnxGraphs.SingleNode("Relu", OnnxOps.MaxOpset + 1, "relu_new"));
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(path));
        Assert.Contains($"opset {OnnxOps.MaxOpset + 1}", e.Message);
        Assert.Contains("'relu_new'", e.Message);
    }

    [Fact]
    public void An_unknown_attribute_is_refused_rather_than_ignored()
    {
        var path = OnnxGraphs.Save(OnnxGraphs.SingleNode("Relu", 13, "relu", OnnxGraphs.Text("surprise", "yes")));
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(path));
        Assert.Contains("surprise", e.Message);
    }

    [Fact]
    public void An_unsupported_attribute_value_is_refused_when_the_model_is_loaded()
    {
        var path = OnnxGraphs.Save(OnnxGraphs.SingleNode("MaxPool", 13, "pool",
            OnnxGraphs.Ints("kernel_shape", 2, 2), OnnxGraphs.Text("auto_pad", "SIDEWAYS")));
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(path));
        Assert.Contains("MaxPool", e.Message);
        Assert.Contains("'pool'", e.Message);
        Assert.Contains("opset 13", e.Message);
        Assert.Contains("SIDEWAYS", e.Message);
    }

    [Fact]
    public void An_initializer_stored_as_external_data_is_refused()
    {
        var model = OnnxGraphs.SingleNode("Add", 13, "add");
        model.Graph.Node[0].Input.Add("bias");
        var bias = new TensorProto { Name = "bias", DataType = (int)TensorProto.Types.DataType.Float,
            DataLocation = TensorProto.Types.DataLocation.External };
        bias.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        model.Graph.Initializer.Add(bias);
        var path = OnnxGraphs.Save(model);
        var e = Assert.ThrowsAny<AdvexException>(() => OnnxModel.Load(path));
        Assert.Contains("external data", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_node_reading_a_value_nothing_produces_is_refused()
    {
        var model = OnnxGraphs.SingleNode("Add", 13, "add");
        model.Graph.Node[0].Input.Add("ghost");
        var path = OnnxGraphs.Save(model);
        var e = Assert.ThrowsAny<AdvexException>(() => OnnxModel.Load(path));
        Assert.Contains("ghost", e.Message);
    }

    [Fact]
    public void An_input_shape_that_contradicts_the_graph_is_refused()
    {
        var e = Assert.ThrowsAny<AdvexException>(() => OnnxModel.Load(OnnxFixture.OnnxPath, inputShape: [1, 28, 28]));
        Assert.Contains("the model expects [3,32,32]", e.Message);
        Assert.Contains(OnnxFixture.OnnxPath, e.Message);
    }

    [Fact]
    public void Raw_and_typed_initializer_data_give_the_same_tensor()
    {
        float[] values = [1.5f, -2f, 3.25f];
        var typed = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        typed.Dims.Add(3);
        typed.FloatData.AddRange(values);
        var raw = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray()) };
        raw.Dims.Add(3);
        using var a = OnnxTensors.ToTensor(typed, "typed");
        using var b = OnnxTensors.ToTensor(raw, "raw");
        Assert.Equal(values, a.data<float>().ToArray());
        Assert.Equal(values, b.data<float>().ToArray());
        var ints = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int32 };
        ints.Dims.Add(2);
        ints.Int32Data.AddRange([7, -1]);
        using var c = OnnxTensors.ToTensor(ints, "ints");
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, c.dtype);
        Assert.Equal([7L, -1L], c.data<long>().ToArray());
    }
}
