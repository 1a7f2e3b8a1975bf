namespace Advex.Models.Onnx;

using static TorchSharp.torch;

/// <summary>
/// Loads an ONNX classifier as a white-box <see cref="Classifier"/>: the graph is translated into TorchSharp
/// operations (<see cref="OnnxGraphModule"/>), so every gradient attack runs on it.
/// </summary>
public static class OnnxModel
{
    /// <param name="path">the .onnx file (one self-contained file; external data is refused)</param>
    /// <param name="normalization">mean/std when the model expects normalized input</param>
    /// <param name="inputShape">[C,H,W] of one sample; read from the graph's input when omitted (a dynamic batch
    /// dimension is fine, other dimensions must be static)</param>
    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null)
    {
        Native.TorchRuntime.EnsureLoaded();
        var module = new OnnxGraphModule(OnnxFile.Read(path), path);
        try
        {
            if (module.InputNames.Count != 1)
                throw new AdvexException($"ONNX model {path} has {module.InputNames.Count} inputs; a classifier takes exactly one");
            var shape = inputShape ?? DeclaredShape(module, path);
            module.eval();
            var classes = ProbeClasses(module, shape, path);
            return new Classifier(module, shape, classes, normalization, kind: "onnx");
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The graph input's shape without the batch dimension; every dimension but the batch must be static.</summary>
    private static long[] DeclaredShape(OnnxGraphModule module, string path)
    {
        var dims = module.Inputs[0].Type?.TensorType?.Shape?.Dim
                   ?? throw new AdvexException($"ONNX model {path} does not declare its input shape; give the input shape [C,H,W]");
        if (dims.Count < 2) throw new AdvexException($"ONNX model {path} input has rank {dims.Count}, expected [N, ...]");
        var sample = dims.Skip(1).ToList();
        if (sample.Any(d => !d.HasDimValue || d.DimValue <= 0))
            throw new AdvexException(
                $"ONNX model {path} input has dynamic dimensions [{string.Join(",", dims.Select(d => d.HasDimValue ? d.DimValue.ToString() : d.DimParam))}]; give the input shape [C,H,W]");
        return sample.Select(d => d.DimValue).ToArray();
    }

    /// <summary>The number of classes from a forward pass on two blank samples (which also runs every converter once).</summary>
    private static int ProbeClasses(OnnxGraphModule module, long[] shape, string path)
    {
        using var _ = no_grad();
        using var probe = zeros([2, .. shape]);
        long[] outShape;
        try
        {
            using var output = module.call(probe);
            outShape = output.shape;
        }
        catch (Exception e) when (e is not AdvexException)
        {
            throw new AdvexException($"ONNX model {path} failed on input [2,{string.Join(",", shape)}]: {e.Message.Split('\n')[0]}");
        }
        if (outShape.Length != 2 || outShape[0] != 2)
            throw new AdvexException(
                $"ONNX model {path} output has shape [{string.Join(",", outShape)}] for 2 inputs, expected [N,C] logits");
        return (int)outShape[1];
    }
}
