namespace Advex.Models.Onnx;

using static TorchSharp.torch;

/// <summary>
/// Loads an ONNX classifier as a white-box <see cref="Classifier"/>: the graph is translated into TorchSharp
/// operations (<see cref="OnnxGraphModule"/>), so every gradient attack runs on it. With the ONNX Runtime backend
/// the graph runs as shipped in ONNX Runtime instead (<see cref="OnnxRuntimeModule"/>), forward only.
/// </summary>
public static class OnnxModel
{
    /// <summary>The registry entry (<see cref="ModelFormatRegistry"/>): both backends.</summary>
    public static ModelFormat Format { get; } = new("onnx", "an ONNX .onnx graph", ModelFormat.Extension(".onnx"),
        (path, o) => o.Backend == ModelBackend.OnnxRuntime
            ? LoadOnnxRuntime(path, o.Normalization, o.InputShape)
            : Load(path, o.Normalization, o.InputShape))
    {
        Backends = [ModelBackend.Torch, ModelBackend.OnnxRuntime],
    };

    /// <summary>The graph run by ONNX Runtime as a forward-only Classifier (<see cref="Classifier.HasGradients"/> is
    /// false); input shape and classes are found as for <see cref="Load"/>.</summary>
    public static Classifier LoadOnnxRuntime(string path, Normalization? normalization = null, long[]? inputShape = null)
    {
        Native.TorchRuntime.EnsureLoaded();
        var module = new OnnxRuntimeModule(path);
        try
        {
            var dims = module.InputDims;
            if (dims.Length < 2) throw new AdvexException($"ONNX model {path} input has rank {dims.Length}, expected [N, ...]");
            var sample = dims.Skip(1).Select(d => d > 0 ? d : (long?)null).ToArray();
            var shape = ResolveShape(path, sample, string.Join(",", dims.Skip(1).Select(d => d > 0 ? d.ToString() : "?")), inputShape);
            var classes = ProbeClasses(module, shape, path);
            return new Classifier(module, shape, classes, normalization, kind: "onnx")
            {
                Source = path, Backend = ModelBackend.OnnxRuntime,
            };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
    /// <param name="path">the .onnx file (one self-contained file; external data is refused)</param>
    /// <param name="normalization">mean/std when the model expects normalized input</param>
    /// <param name="inputShape">[C,H,W] of one sample; read from the graph's input when omitted (a dynamic batch
    /// dimension is fine, other dimensions must then be static); when given, it must agree with the graph's</param>
    public static Classifier Load(string path, Normalization? normalization = null, long[]? inputShape = null)
    {
        Native.TorchRuntime.EnsureLoaded();
        var module = OnnxGraphModule.Load(path);
        try
        {
            if (module.InputNames.Count != 1)
                throw new AdvexException($"ONNX model {path} has {module.InputNames.Count} inputs; a classifier takes exactly one");
            var shape = SampleShape(module, path, inputShape);
            module.eval();
            var classes = ProbeClasses(module, shape, path);
            return new Classifier(module, shape, classes, normalization, kind: "onnx") { Source = path };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One sample's shape: the graph input's without the batch dimension. A given shape must agree with every static
    /// dimension the graph declares; without one, every dimension but the batch must be static.
    /// </summary>
    private static long[] SampleShape(OnnxGraphModule module, string path, long[]? given)
    {
        var dims = module.Inputs[0].Type?.TensorType?.Shape?.Dim;
        if (dims is null)
            return given ?? throw new AdvexException($"ONNX model {path} does not declare its input shape; give the input shape [C,H,W]");
        if (dims.Count < 2) throw new AdvexException($"ONNX model {path} input has rank {dims.Count}, expected [N, ...]");
        var sample = dims.Skip(1).Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue : (long?)null).ToArray();
        var shown = string.Join(",", dims.Skip(1).Select(d => d.HasDimValue ? d.DimValue.ToString() : d.DimParam is { Length: > 0 } p ? p : "?"));
        return ResolveShape(path, sample, shown, given);
    }

    /// <summary>The given shape when it agrees with every static dimension, else the graph's own when all static.</summary>
    private static long[] ResolveShape(string path, long?[] sample, string shown, long[]? given)
    {
        if (given is not null)
        {
            if (given.Length != sample.Length || sample.Where((d, i) => d is { } v && v != given[i]).Any())
                throw new AdvexException(
                    $"ONNX model {path} takes inputs [N,{shown}]: the model expects [{shown}], not the input shape [{string.Join(",", given)}]");
            return given;
        }
        if (sample.Any(d => d is null))
            throw new AdvexException($"ONNX model {path} input has dynamic dimensions [N,{shown}]; give the input shape [C,H,W]");
        return sample.Select(d => d!.Value).ToArray();
    }

    /// <summary>The number of classes from a forward pass on two blank samples (which also runs every converter once).</summary>
    private static int ProbeClasses(TorchSharp.torch.nn.Module<Tensor, Tensor> module, long[] shape, string path)
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
