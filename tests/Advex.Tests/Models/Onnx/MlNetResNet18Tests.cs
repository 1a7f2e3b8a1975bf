namespace Advex.Tests.Models.Onnx;

using System.Reflection;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models.Onnx;
using Advex.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;
using static TorchSharp.torch;

/// <summary>
/// ML.NET's ResNet18 featurizer (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1: a real CNTK-exported ONNX
/// graph, opset 8, fixed batch of 1, output [1,512,1,1]), downloaded by restore and never committed, imported by
/// Advex's ONNX translation. Its input is ML.NET's preprocessing of a 224×224 photo: BGR order, 0–255, minus the
/// package's mean image (<c>ResNetPreprocess.onnx</c>'s MeanImage). The photos are scikit-image's public-domain /
/// CC0 pictures (tests/fixtures/photos, see its README).
/// </summary>
public sealed class MlNetResNet18Tests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string ModelPath = typeof(MlNetResNet18Tests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MlNetResNet18Onnx").Value!;

    private static string PreprocessPath =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ModelPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    private static readonly string[] Photos = ["astronaut", "chelsea", "coffee"];

    private static void RequireModel() =>
        Skip.IfNot(File.Exists(ModelPath), $"ML.NET's ResNet18 graph is not at {ModelPath}: run dotnet restore (PackageDownload in Advex.Tests.csproj)");

    /// <summary>A photo as pixels [1,3,224,224] in [0,1], RGB.</summary>
    private static Tensor Photo(string name)
    {
        using var bitmap = SKBitmap.Decode(Path.Combine(Paths.Fixtures, "photos", name + ".png"));
        Assert.Equal((224, 224), (bitmap.Width, bitmap.Height));
        var values = new float[3 * 224 * 224];
        for (var y = 0; y < 224; y++)
            for (var x = 0; x < 224; x++)
            {
                var c = bitmap.GetPixel(x, y);
                values[0 * 224 * 224 + y * 224 + x] = c.Red / 255f;
                values[1 * 224 * 224 + y * 224 + x] = c.Green / 255f;
                values[2 * 224 * 224 + y * 224 + x] = c.Blue / 255f;
            }
        return tensor(values).reshape(1, 3, 224, 224);
    }

    /// <summary>ML.NET's preprocessing: RGB → BGR, scaled to 0–255, minus the mean image.</summary>
    private static Tensor Preprocess(Tensor pixels, Tensor meanImage) => pixels.flip(1) * 255 - meanImage;

    private static Tensor MeanImage()
    {
        var proto = OnnxFile.Read(PreprocessPath).Graph.Initializer.Single(t => t.Name == "MeanImage");
        return OnnxTensors.ToTensor(proto, PreprocessPath);
    }

    private static Tensor OnnxRuntimeFeatures(InferenceSession session, Tensor input)
    {
        var name = session.InputMetadata.Keys.Single();
        var data = input.contiguous().data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [name], [value], [session.OutputMetadata.Keys.First()]);
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(1, -1);
    }

    [SkippableFact]
    public void Its_512_d_features_on_real_photos_equal_onnx_runtimes_within_1e_4()
    {
        RequireModel();
        using var module = new OnnxGraphModule(OnnxFile.Read(ModelPath), ModelPath);
        module.eval();
        Assert.Equal(8, module.Opset);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(ModelPath, options);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mean = MeanImage();
        foreach (var name in Photos)
        {
            var input = Preprocess(Photo(name), mean);
            var ours = module.call(input).reshape(1, -1);
            var reference = OnnxRuntimeFeatures(session, input);
            Assert.Equal([1L, 512], ours.shape);
            var diff = (ours - reference).abs().max().item<float>();
            output.WriteLine($"{name}: max |feature difference| {diff:E2}, largest feature {reference.abs().max().item<float>():F3}");
            Assert.True(diff <= 1e-4, $"{name}: max |feature difference| {diff} (features up to {reference.abs().max().item<float>()})");
            Assert.True(reference.abs().max().item<float>() > 0.1, $"{name}: the features are all near zero");
        }
    }

    [SkippableFact]
    public void Pgd_in_feature_space_moves_a_photos_features_toward_another_photos_within_eps()
    {
        RequireModel();
        using var module = new OnnxGraphModule(OnnxFile.Read(ModelPath), ModelPath);
        module.eval();
        using var scope = NewDisposeScope();
        var mean = MeanImage();
        Tensor Features(Tensor pixels) => module.call(Preprocess(pixels, mean)).reshape(1, -1);
        var x0 = Photo("astronaut");
        Tensor target;
        using (no_grad()) target = Features(Photo("chelsea"));
        double Distance(Tensor x)
        {
            using var _ = no_grad();
            return (Features(x) - target).norm().item<float>();
        }

        // PGD L∞ (Madry et al. 2018) on the feature-matching loss of Sabour et al. 2016: minimise ‖φ(x') − φ(x_guide)‖₂.
        const double eps = 8 / 255.0, stepSize = 2 / 255.0;
        const int steps = 8;
        var before = Distance(x0);
        var x = x0.clone();
        for (var i = 0; i < steps; i++)
        {
            using var step = NewDisposeScope();
            using var grad = enable_grad();
            var xr = x.detach().requires_grad_(true);
            var loss = (Features(xr) - target).pow(2).sum();
            var g = autograd.grad([loss], [xr])[0];
            var next = LpBall.Project(xr.detach() - stepSize * g.sign(), x0, eps, Norm.Linf).clamp(0, 1);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        var after = Distance(x);
        output.WriteLine($"feature distance astronaut → chelsea: {before:F3} before, {after:F3} after {steps} PGD steps (eps {eps:F4})");
        Assert.True((x - x0).abs().max().item<float>() <= eps + 1e-6);
        Assert.True(x.min().item<float>() >= 0 && x.max().item<float>() <= 1);
        Assert.True(after < 0.9 * before, $"feature distance {before} → {after}: PGD did not move the features closer");
    }
}
