namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>Deliberately broken models and evaluations trigger the matching warning.</summary>
[Collection("lenet")]
public sealed class SanityCheckTests(TrainedLeNet lenet)
{
    private static SanityCheck Find(EvalReport report, string name) => report.Sanity.Single(s => s.Check == name);

    private static EvalReport Evaluate(Classifier model, Dataset data, params Attack[] attacks) =>
        new RobustnessEvaluator().Evaluate(model, data, attacks, new EvalOptions { BatchSize = 128 }, "test");

    // 40 steps: with the per-sample generator, 20 steps of 0.01 leave PGD 1.2 points short of its 40-step figure on
    // this LeNet (63.3 % → 62.1 %), which the "more steps" check rightly flags.
    [Fact]
    public void Healthy_model_and_attack_pass_every_check()
    {
        var report = Evaluate(lenet.Model, lenet.Test, new Fgsm(0), new Fgsm(0.1), new Pgd(0.1, steps: 40, stepSize: 0.01));
        Assert.All(report.Sanity, s => Assert.True(s.Ok, $"{s.Check}: {s.Detail}"));
    }

    [Fact]
    public void Softmax_output_model_triggers_the_probabilities_warning()
    {
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "softmax_output.pt"));
        using var data = DataSource.Load("idx:" + Paths.IdxSmall, "test");
        var report = Evaluate(model, data, new Fgsm(0.1));
        Assert.False(Find(report, "logits_not_probabilities").Ok);
        Assert.True(Find(report, "perturbation_within_eps").Ok);
    }

    [Fact]
    public void Quantized_input_model_triggers_the_zero_gradient_warning()
    {
        using var quantized = new Classifier(new Quantize(lenet.Model.Module), [1, 28, 28], 10);
        var report = Evaluate(quantized, lenet.Test, new Fgsm(0.1));
        var check = Find(report, "zero_gradients");
        Assert.False(check.Ok);
        Assert.Contains("100", check.Detail);
    }

    [Fact]
    public void Too_few_steps_trigger_the_not_converged_warning()
    {
        var report = Evaluate(lenet.Model, lenet.Test, new Pgd(0.3, Norm.Linf, steps: 2, stepSize: 0.01, randomStart: false));
        Assert.False(Find(report, "more_steps_do_not_help").Ok);
    }

    /// <summary>A "defense" that rounds its input to 8 bits: the input gradient is zero everywhere.</summary>
    private sealed class Quantize(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Quantize")
    {
        public override Tensor forward(Tensor x) => inner.call((x * 255).round() / 255);
    }
}
