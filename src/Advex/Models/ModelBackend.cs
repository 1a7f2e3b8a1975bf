namespace Advex.Models;

/// <summary>
/// What runs a model's forward pass. <see cref="Torch"/> is TorchSharp: every format, gradients included.
/// <see cref="OnnxRuntime"/> runs an ONNX graph in Microsoft's ONNX Runtime, as shipped: forward passes only, so
/// gradient-free attacks (Square) run on it and gradient attacks are refused.
/// </summary>
public enum ModelBackend
{
    Torch,
    OnnxRuntime,
}

public static class ModelBackends
{
    /// <summary>"torch" or "onnxruntime": the names results and messages use.</summary>
    public static string Name(this ModelBackend backend) => backend switch
    {
        ModelBackend.Torch => "torch",
        ModelBackend.OnnxRuntime => "onnxruntime",
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    public static ModelBackend Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "torch" => ModelBackend.Torch,
        "onnxruntime" or "ort" => ModelBackend.OnnxRuntime,
        _ => throw new AdvexException($"unknown backend '{name}' (expected torch or onnxruntime)"),
    };
}
