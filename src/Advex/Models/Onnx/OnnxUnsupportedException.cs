namespace Advex.Models.Onnx;

/// <summary>
/// An ONNX graph uses an op, an opset, an attribute value or a data type that the TorchSharp translation does not
/// implement. The message names the op, the node and the opset, so the user knows exactly what to change.
/// </summary>
public sealed class OnnxUnsupportedException(string message) : AdvexException(message);
