namespace Advex.Models.Onnx;

using Google.Protobuf;
using global::Onnx;

/// <summary>
/// Reads an <c>.onnx</c> file into the protobuf classes of OnnxSharp. OnnxSharp is used rather than Google.Protobuf
/// plus our own copy of <c>onnx.proto</c> because it ships classes generated from ONNX's official schema (current to
/// float4 types) on top of Google.Protobuf, so the build needs no protoc step and no vendored generated code.
/// </summary>
public static class OnnxFile
{
    /// <summary>The ONNX model in <paramref name="path"/>; a missing, corrupt or empty file is an AdvexException naming it.</summary>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new AdvexException($"ONNX model file not found: {path}");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException)
        {
            throw new AdvexException($"cannot read ONNX model {path}: {e.Message}");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.Graph.Output.Count == 0)
            throw new AdvexException($"cannot read ONNX model {path}: the file has no graph (is it an ONNX model?)");
        return model;
    }

    /// <summary>A TensorProto file (the input_*.pb / output_*.pb files of ONNX's backend tests).</summary>
    public static TensorProto ReadTensor(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return TensorProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException)
        {
            throw new AdvexException($"cannot read ONNX tensor {path}: {e.Message}");
        }
    }

    /// <summary>
    /// The version of the default ("" or "ai.onnx") operator set the model imports, 0 when it imports none (then any
    /// default-domain node is refused for its opset, and nodes of other domains for their domain).
    /// </summary>
    public static int DefaultOpset(ModelProto model) =>
        (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0);
}
