namespace Advex.Models.Onnx;

using static TorchSharp.torch;

/// <summary>
/// Translates one ONNX node into torch operations: the node's inputs (null for an omitted optional input) → its
/// outputs, in order. Converters return fresh tensors (or aliases), never dispose their arguments, and throw
/// <see cref="OnnxNode.Unsupported"/> for anything they do not implement.
/// </summary>
public delegate Tensor[] OnnxConverter(OnnxNode node, Tensor?[] inputs);
