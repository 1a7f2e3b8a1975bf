namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Evaluation;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>The evaluation reports robust accuracy after each AutoAttack stage, and flags Square beating the
/// white-box stages (gradient masking).</summary>
[Collection("lenet")]
public sealed class AutoAttackEvaluationTests(TrainedLeNet lenet)
{
    private static EvalReport Evaluate(Classifier model, Advex.Data.Dataset data, params Attack[] attacks) =>
        new RobustnessEvaluator().Evaluate(model, data, attacks, new EvalOptions { BatchSize = 50 }, "test");

    [Fact]
    public void Stages_are_reported_monotone_and_end_at_the_run_robust_accuracy()
    {
        using var data = lenet.Test.Take(120);
        var report = Evaluate(lenet.Model, data, new AutoAttack(0.1, steps: 10, queries: 200));
        var run = report.Runs.Single();
        var stages = run.Stages!;
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], stages.Select(s => s.Attack));
        for (var s = 1; s < stages.Count; s++) Assert.True(stages[s].RobustAccuracy <= stages[s - 1].RobustAccuracy);
        Assert.True(stages[0].RobustAccuracy <= report.CleanAccuracy);
        Assert.Equal(run.RobustAccuracy, stages[^1].RobustAccuracy, 12);
        Assert.True(stages[0].GradientEvaluationsPerImage > 0 && stages[^1].GradientEvaluationsPerImage == 0);
        Assert.True(stages[^1].ForwardPassesPerImage > 0 || stages[^2].RobustAccuracy == 0);
        Assert.Contains(report.Sanity, c => c.Check == "square_not_stronger_than_white_box");
    }

    [Fact]
    public void Square_beating_the_white_box_stages_on_a_quantized_model_is_flagged()
    {
        using var data = lenet.Test.Take(100);
        using var quantized = new Classifier(new Quantize(lenet.Model.Module), [1, 28, 28], 10);
        var report = Evaluate(quantized, data, new AutoAttack(0.15, steps: 10, queries: 300));
        var check = report.Sanity.Single(c => c.Check == "square_not_stronger_than_white_box");
        Assert.False(check.Ok, check.Detail);
        Assert.Contains("square", check.Detail);
    }

    [Fact]
    public void Independent_runs_compare_square_per_sample_with_the_white_box_runs()
    {
        using var data = lenet.Test.Take(100);
        using var quantized = new Classifier(new Quantize(lenet.Model.Module), [1, 28, 28], 10);
        var report = Evaluate(quantized, data, new Apgd(0.15, steps: 10), new Square(0.15, 300));
        Assert.False(report.Sanity.Single(c => c.Check == "square_not_stronger_than_white_box").Ok);
        var healthy = Evaluate(lenet.Model, data, new Apgd(0.15, steps: 20), new Square(0.15, 100));
        var ok = healthy.Sanity.Single(c => c.Check == "square_not_stronger_than_white_box");
        Assert.True(ok.Ok, ok.Detail);
    }

    private sealed class Quantize(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Quantize")
    {
        public override Tensor forward(Tensor x) => inner.call((x * 255).round() / 255);
    }
}
