namespace Advex.Tests.Models.Onnx;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// The onnxruntime backend: the RGB CNN fixture run as shipped by ONNX Runtime, forward only. Its logits equal the
/// imported graph's, Square on it gives the imported graph's robust accuracy with the same seed, and every gradient
/// attack is refused by name before any work.
/// </summary>
public sealed class OnnxRuntimeBackendTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static Classifier Load(ModelBackend backend) =>
        ModelStore.Load(OnnxFixture.OnnxPath, new ModelOptions(OnnxFixture.Normalization, Backend: backend));

    /// <summary>64 seeded RGB images labelled by the imported model's own predictions, so every sample starts
    /// correct and robust accuracy measures the attack alone.</summary>
    private static Dataset Images(Classifier reference)
    {
        var pixels = new byte[64 * 3 * 32 * 32];
        new Random(11).NextBytes(pixels);
        using var x = tensor(pixels, [64, 3, 32, 32], ScalarType.Byte).to_type(ScalarType.Float32).div(255);
        using var y = reference.Predict(x);
        var classes = Enumerable.Range(0, reference.Classes).Select(i => $"class{i}").ToArray();
        return new Dataset(pixels, y.data<long>().ToArray(), 3, 32, 32, classes, "random-rgb", "test");
    }

    [Fact]
    public void Onnxruntime_backend_loads_the_graph_forward_only_with_the_imported_graphs_logits()
    {
        using var ort = Load(ModelBackend.OnnxRuntime);
        using var torchModel = Load(ModelBackend.Torch);
        Assert.Equal(ModelBackend.OnnxRuntime, ort.Backend);
        Assert.False(ort.HasGradients);
        Assert.True(torchModel.HasGradients);
        Assert.Equal(torchModel.InputShape, ort.InputShape);
        Assert.Equal(torchModel.Classes, ort.Classes);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        using var _ = no_grad();
        Assert.True(OnnxFixture.Excess(ort.Logits(x), OnnxFixture.Logits(), 1e-5, 1e-4) <= 0);
        Assert.True(OnnxFixture.Excess(ort.Logits(x), torchModel.Logits(x), 1e-5, 1e-4) <= 0);
    }

    [Fact]
    public void Square_on_onnxruntime_gives_the_imported_graphs_robust_accuracy_with_the_same_seed()
    {
        using var ort = Load(ModelBackend.OnnxRuntime);
        using var torchModel = Load(ModelBackend.Torch);
        using var data = Images(torchModel);
        var options = new EvalOptions { Eps = [8 / 255.0], BatchSize = 32, Seed = 5 };
        var square = new Square(8 / 255.0, queries: 100);
        var onOrt = new RobustnessEvaluator().Evaluate(ort, data, [square], options, OnnxFixture.OnnxPath);
        var onTorch = new RobustnessEvaluator().Evaluate(torchModel, data, [square], options, OnnxFixture.OnnxPath);
        var all = Enumerable.Range(0, data.Count).Select(i => (long)i).ToArray();
        var ortSamples = new RobustnessEvaluator().Records(ort, data, [square], options, all);
        var torchSamples = new RobustnessEvaluator().Records(torchModel, data, [square], options, all);
        Assert.Equal(1.0, onTorch.CleanAccuracy);
        Assert.Equal(onTorch.CleanAccuracy, onOrt.CleanAccuracy);
        var (a, b) = (onOrt.Runs[0].RobustAccuracy, onTorch.Runs[0].RobustAccuracy);
        Assert.True(b < 1.0, $"Square broke no sample on the imported graph (robust accuracy {b}): the comparison would be empty");
        // The same seed draws the same squares; only a margin that ties within float rounding could decide differently.
        output.WriteLine($"square robust accuracy: onnxruntime {a}, torch {b} ({data.Count} samples)");
        var differing = ortSamples.Zip(torchSamples).Count(p => p.First.Success != p.Second.Success);
        Assert.True(differing <= 1, $"{differing} of {data.Count} samples differ between the backends (robust accuracy {a} vs {b})");
        Assert.True(Math.Abs(a - b) <= 1.0 / data.Count, $"robust accuracy {a} on onnxruntime vs {b} on torch");
        Assert.All(ortSamples, s => Assert.True(s.Linf <= 8 / 255.0 + 1e-5));
        Assert.DoesNotContain(onOrt.Sanity, c => c.Check == "zero_gradients");
    }

    [Theory]
    [InlineData("fgsm")]
    [InlineData("pgd")]
    [InlineData("apgd-ce")]
    [InlineData("cw")]
    [InlineData("deepfool")]
    [InlineData("autoattack")]
    public void A_gradient_attack_on_onnxruntime_is_refused_naming_the_attack_and_the_backend(string name)
    {
        using var ort = Load(ModelBackend.OnnxRuntime);
        var attack = AttackRegistry.Create(name, 8 / 255.0);
        Assert.True(attack.NeedsGradients);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        var e = Assert.Throws<AdvexException>(() => attack.Run(ort, x, new Untargeted(OnnxFixture.Labels())));
        Assert.Contains($"attack {name} needs input gradients", e.Message);
        Assert.Contains("onnxruntime backend", e.Message);
        Assert.Contains(OnnxFixture.OnnxPath, e.Message);
    }

    [Fact]
    public void A_gradient_through_the_onnxruntime_module_is_refused_rather_than_silently_zero()
    {
        using var ort = Load(ModelBackend.OnnxRuntime);
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var x = OnnxFixture.Inputs().requires_grad_(true);
        var e = Assert.Throws<AdvexException>(() => ort.Logits(x));
        Assert.Contains("forward only", e.Message);
    }

    [Fact]
    public void Onnxruntime_backend_refuses_a_model_that_is_not_onnx()
    {
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"),
            new ModelOptions(Backend: ModelBackend.OnnxRuntime)));
        Assert.Contains("backend onnxruntime cannot run", e.Message);
        Assert.Contains("TorchScript", e.Message);
    }
}
