namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>Constant: a tensor from <c>value</c>, <c>value_float(s)</c> or <c>value_int(s)</c> (sparse and string values are not supported).</summary>
internal static class Constants
{
    public static Tensor[] Constant(OnnxNode node, Tensor?[] inputs)
    {
        if (node.TensorAttribute("value") is { } t) return [OnnxTensors.ToTensor(t, $"node '{node.Name}'")];
        if (node.Has("value_float")) return [tensor((float)node.Float("value_float", 0))];
        if (node.Floats("value_floats") is { } fs) return [tensor(fs.Select(f => (float)f).ToArray())];
        if (node.Has("value_int")) return [tensor(node.Int("value_int", 0))];
        if (node.Ints("value_ints") is { } ints) return [tensor(ints)];
        throw node.Unsupported("a Constant without value");
    }
}
