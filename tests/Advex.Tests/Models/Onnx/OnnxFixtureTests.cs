namespace Advex.Tests.Models.Onnx;

using Advex.Attacks;
using Advex.Models;
using Advex.Models.Onnx;
using Advex.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>The imported CNN fixture against PyTorch, ONNX Runtime, the TorchScript export and finite differences.</summary>
public sealed class OnnxFixtureTests
{
    [Fact]
    public void Onnx_classifier_logits_match_pytorch_and_onnx_runtime()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(OnnxFixture.OnnxPath, OnnxFixture.Normalization);
        Assert.Equal("onnx", model.Kind);
        Assert.Equal(OnnxFixture.InputShape, model.InputShape);
        Assert.Equal(OnnxFixture.Expected.GetProperty("classes").GetInt32(), model.Classes);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        Tensor logits;
        using (no_grad()) logits = model.Logits(x);
        var pytorch = OnnxFixture.Excess(logits, OnnxFixture.Logits(), 1e-5, 1e-4);
        Assert.True(pytorch <= 0, $"logits differ from PyTorch's by {pytorch:G3} beyond the tolerance");
        var runtime = OnnxFixture.Excess(logits, OnnxRuntimeLogits(x), 1e-5, 1e-4);
        Assert.True(runtime <= 0, $"logits differ from ONNX Runtime's by {runtime:G3} beyond the tolerance");
    }

    /// <summary>Gradients of Σ CE are about 5e-3 per pixel, so the check is relative (1e-4) with a 1e-6 absolute floor.</summary>
    [Fact]
    public void Input_gradients_match_the_torchscript_model_and_pytorch()
    {
        using var _ = new SingleThread();
        using var onnx = ModelStore.Load(OnnxFixture.OnnxPath, OnnxFixture.Normalization);
        using var script = TorchScript.Load(OnnxFixture.TorchScriptPath, OnnxFixture.InputShape, OnnxFixture.Normalization);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        var labels = OnnxFixture.Labels();
        var g = InputGradient(onnx, x, labels);
        var vsScript = OnnxFixture.Excess(g, InputGradient(script, x, labels), 1e-6, 1e-4);
        Assert.True(vsScript <= 0, $"gradients differ from the TorchScript model's by {vsScript:G3} beyond the tolerance");
        var vsPytorch = OnnxFixture.Excess(g, OnnxFixture.InputGradients(), 1e-6, 1e-4);
        Assert.True(vsPytorch <= 0, $"gradients differ from PyTorch's by {vsPytorch:G3} beyond the tolerance");
    }

    /// <summary>
    /// The imported graph in float64: the autograd directional derivative g·v equals the central difference
    /// (L(x + hv) − L(x − hv)) / 2h along seeded random directions v, and the float64 gradient equals the float32 one.
    /// </summary>
    [Fact]
    public void Float64_input_gradients_agree_with_central_finite_differences()
    {
        using var _ = new SingleThread();
        using var module = new OnnxGraphModule(OnnxFile.Read(OnnxFixture.OnnxPath), OnnxFixture.OnnxPath);
        module.to(ScalarType.Float64);
        module.eval();
        using var scope = NewDisposeScope();
        var n = OnnxFixture.Normalization;
        var mean = tensor(n.Mean).reshape(1, -1, 1, 1);
        var std = tensor(n.Std).reshape(1, -1, 1, 1);
        var labels = OnnxFixture.Labels();
        Tensor Loss(Tensor x) => F.cross_entropy(module.call((x - mean) / std), labels, reduction: nn.Reduction.Sum);
        var x = OnnxFixture.Inputs().to_type(ScalarType.Float64).requires_grad_(true);
        Tensor g;
        using (enable_grad()) g = autograd.grad([Loss(x)], [x])[0];
        var vsFloat32 = OnnxFixture.Excess(g, OnnxFixture.InputGradients(), 1e-6, 1e-4);
        Assert.True(vsFloat32 <= 0, $"float64 gradients differ from PyTorch's float32 ones by {vsFloat32:G3}");
        var rng = new Generator(7);
        const double h = 1e-6;
        using var noGrad = no_grad();
        for (var k = 0; k < 3; k++)
        {
            var v = randn(x.shape, ScalarType.Float64, generator: rng);
            v /= v.norm();
            var analytic = (g * v).sum().item<double>();
            var numeric = (Loss(x.detach() + h * v) - Loss(x.detach() - h * v)).item<double>() / (2 * h);
            Assert.True(Math.Abs(analytic - numeric) <= 1e-7 + 1e-5 * Math.Abs(numeric),
                $"direction {k}: autograd {analytic}, central difference {numeric}");
        }
    }

    [Fact]
    public void Fgsm_on_the_onnx_classifier_stays_in_the_eps_ball_and_box_and_raises_the_loss()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(OnnxFixture.OnnxPath, OnnxFixture.Normalization);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        var labels = OnnxFixture.Labels();
        const double eps = 8.0 / 255;
        var result = new Fgsm(eps).Run(model, x, new Untargeted(labels));
        Assert.True((result.Adversarial - x).abs().max().item<float>() <= eps + 1e-6);
        Assert.True(result.Adversarial.min().item<float>() >= 0 && result.Adversarial.max().item<float>() <= 1);
        using var noGrad = no_grad();
        var clean = F.cross_entropy(model.Logits(x), labels).item<float>();
        var adversarial = F.cross_entropy(model.Logits(result.Adversarial), labels).item<float>();
        Assert.True(adversarial > clean, $"FGSM did not raise the loss ({clean} → {adversarial})");
    }

    /// <summary>Exporters often fix the batch to 1: such a graph still classifies a batch, one sample at a time.</summary>
    [Fact]
    public void A_graph_with_a_fixed_batch_of_one_classifies_a_whole_batch()
    {
        using var _ = new SingleThread();
        var proto = OnnxFile.Read(OnnxFixture.OnnxPath);
        var batch = proto.Graph.Input.Single(i => i.Name == "input").Type.TensorType.Shape.Dim[0];
        batch.DimValue = 1;
        var path = OnnxGraphs.Save(proto);
        using var model = OnnxModel.Load(path, OnnxFixture.Normalization);
        Assert.True(((OnnxGraphModule)model.Module).StaticBatchOfOne);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var excess = OnnxFixture.Excess(model.Logits(OnnxFixture.Inputs()), OnnxFixture.Logits(), 1e-5, 1e-4);
        Assert.True(excess <= 0, $"logits differ from PyTorch's by {excess:G3} beyond the tolerance");
    }

    /// <summary>Each forward keeps only its output: the live tensor count grows by exactly one per call.</summary>
    [Fact]
    public void A_forward_pass_leaves_only_its_output_alive()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(OnnxFixture.OnnxPath, OnnxFixture.Normalization);
        using var scope = NewDisposeScope();
        var x = OnnxFixture.Inputs();
        using var noGrad = no_grad();
        long LiveAfter(int calls)
        {
            var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
            for (var i = 0; i < calls; i++) model.Module.call(x);
            return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
        }
        Assert.Equal(1, LiveAfter(1));
        Assert.Equal(20, LiveAfter(20));
    }

    private static Tensor InputGradient(Classifier model, Tensor x, Tensor labels)
    {
        using var grad = enable_grad();
        var xr = x.detach().requires_grad_(true);
        var loss = F.cross_entropy(model.Logits(xr), labels, reduction: nn.Reduction.Sum);
        return autograd.grad([loss], [xr])[0];
    }

    /// <summary>ONNX Runtime's logits for pixels x, normalized here as the Classifier does inside.</summary>
    private static Tensor OnnxRuntimeLogits(Tensor x)
    {
        var n = OnnxFixture.Normalization;
        var normalized = (x - tensor(n.Mean).to_type(ScalarType.Float32).reshape(1, -1, 1, 1)) /
                         tensor(n.Std).to_type(ScalarType.Float32).reshape(1, -1, 1, 1);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(OnnxFixture.OnnxPath, options);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(normalized.contiguous().data<float>().ToArray(), x.shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        var output = results.Single().AsTensor<float>();
        return tensor(output.ToArray()).reshape(output.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }
}
