namespace Advex.Models;

using Advex.Models.Onnx;
using static TorchSharp.torch;

/// <summary>
/// A network used for its features rather than its classes: pixels [N, ...<see cref="InputShape"/>] in [0,1] map to
/// features [N, <see cref="Dimensions"/>] (the graph's output flattened per sample). Loaded from an ONNX graph,
/// translated node by node so that gradients flow. ML.NET's DnnImageFeaturizer graphs (e.g. its ImageNet ResNet-18)
/// are recognised by the preprocessing graph their package ships beside them (<c>../ResNetPrepOnnx/ResNetPreprocess.onnx</c>),
/// and get its preprocessing inside: RGB → BGR, scaled to 0–255, minus the package's mean image.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly OnnxGraphModule module;
    private readonly Tensor? meanImage;

    private FeatureExtractor(OnnxGraphModule module, long[] inputShape, Tensor? meanImage, string source)
    {
        this.module = module;
        this.meanImage = meanImage;
        InputShape = inputShape;
        Source = source;
        using var _ = no_grad();
        using var probe = Features(zeros([1, .. inputShape]));
        Dimensions = (int)probe.shape[1];
    }

    public long[] InputShape { get; }
    public int Dimensions { get; }
    public string Source { get; }

    /// <summary>True when ML.NET's preprocessing (BGR, 0–255, minus the mean image) runs inside.</summary>
    public bool MlNetPreprocessing => meanImage is not null;

    public static FeatureExtractor Load(string path)
    {
        Native.TorchRuntime.EnsureLoaded();
        if (!File.Exists(path)) throw new AdvexException($"feature model not found: {path}");
        var module = OnnxGraphModule.Load(path);
        Tensor? mean = null;
        try
        {
            if (module.InputNames.Count != 1)
                throw new AdvexException($"ONNX model {path} has {module.InputNames.Count} inputs; a feature model takes exactly one");
            var dims = module.Inputs[0].Type?.TensorType?.Shape?.Dim;
            if (dims is null || dims.Count < 2 || dims.Skip(1).Any(d => !d.HasDimValue || d.DimValue <= 0))
                throw new AdvexException($"ONNX model {path} does not declare a static input shape [N, C, H, W]");
            var shape = dims.Skip(1).Select(d => d.DimValue).ToArray();
            module.eval();
            var prep = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
            if (File.Exists(prep))
            {
                var proto = OnnxFile.Read(prep).Graph.Initializer.FirstOrDefault(t => t.Name == "MeanImage")
                            ?? throw new AdvexException($"{prep} has no MeanImage");
                mean = OnnxTensors.ToTensor(proto, prep);
                if (!mean.shape.SequenceEqual([1L, .. shape]))
                    throw new AdvexException($"{prep}: mean image [{string.Join(",", mean.shape)}] does not fit input [1,{string.Join(",", shape)}]");
            }
            return new FeatureExtractor(module, shape, mean, path);
        }
        catch
        {
            module.Dispose();
            mean?.Dispose();
            throw;
        }
    }

    /// <summary>Features [N, D] of pixels x [N, ...InputShape] in [0,1].</summary>
    public Tensor Features(Tensor x)
    {
        if (x.dim() != InputShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(InputShape))
            throw new AdvexException($"input has shape [{string.Join(",", x.shape)}], the feature model expects [N,{string.Join(",", InputShape)}]");
        using var scope = NewDisposeScope();
        var input = meanImage is null ? x : x.flip(1) * 255 - meanImage;
        return module.call(input).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>Where restore puts ML.NET's ImageNet ResNet-18 featurizer (NuGet
    /// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1): under <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>;
    /// null when it is not there.</summary>
    public static string? MlNetResNet18Path()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
        return File.Exists(path) ? path : null;
    }

    public void Dispose()
    {
        module.Dispose();
        meanImage?.Dispose();
    }
}
