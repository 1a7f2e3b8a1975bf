namespace Advex.Tests.Models.Onnx;

using Advex.Models.Onnx;
using Advex.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>
/// An optional, heavier check: whole torchvision classifiers (random weights) exported to ONNX by
/// <c>/usr/bin/python3 scripts/make_onnx_fixtures.py --zoo DIR</c> (hundreds of MB, so not committed) give the same
/// logits through our translation as through ONNX Runtime, and prints each one's load time and gradient step. Runs only
/// when ADVEX_ONNX_ZOO names that folder.
/// </summary>
public sealed class OnnxZooTests(ITestOutputHelper output)
{
    public const string Variable = "ADVEX_ONNX_ZOO";

    [SkippableFact]
    public void Torchvision_exports_match_onnx_runtime()
    {
        var dir = Environment.GetEnvironmentVariable(Variable);
        Skip.If(dir is null || !Directory.Exists(dir), $"{Variable} is not set to a folder of exported models");
        using var _ = new SingleThread();
        var failures = new List<string>();
        foreach (var path in Directory.GetFiles(dir!, "*.onnx").Order(StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var module = OnnxGraphModule.Load(path);
            var load = clock.Elapsed.TotalSeconds;
            module.eval();
            var x = rand([2, 3, 224, 224], generator: new Generator(1));
            Tensor ours;
            using (no_grad()) ours = module.call(x);
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            using var session = new InferenceSession(path, options);
            var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(x.data<float>().ToArray(), [2, 3, 224, 224]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
            var reference = tensor(results.First().AsTensor<float>().ToArray()).reshape(ours.shape);
            var excess = OnnxFixture.Excess(ours, reference, 1e-4, 1e-3);
            var maxDiff = (ours - reference).abs().max().item<float>();
            var step = GradientStep(module, x);
            output.WriteLine($"{Path.GetFileName(path)}: max |logit difference| {maxDiff:E2}, max |logit| " +
                             $"{reference.abs().max().item<float>():E2}; load {load:F1} s, gradient step (batch 2, one thread) {step:F2} s");
            if (excess > 0) failures.Add($"{Path.GetFileName(path)}: {maxDiff:E2}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Seconds of one input-gradient step (logits, summed cross-entropy toward class 0, backward), the
    /// faster of two after a warm-up.</summary>
    private static double GradientStep(OnnxGraphModule module, Tensor x)
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var input = x.detach().requires_grad_(true);
            var logits = module.call(input);
            var loss = nn.functional.cross_entropy(logits, zeros(x.shape[0], dtype: ScalarType.Int64), reduction: nn.Reduction.Sum);
            loss.backward();
            _ = input.grad!.sum().item<float>();
            if (i > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
