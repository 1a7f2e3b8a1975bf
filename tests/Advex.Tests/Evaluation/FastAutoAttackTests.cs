namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Evaluation;
using Advex.Models;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>AutoAttack's fast version (APGD-CE → APGD-T on MALT targets, guarded by the gradient-masking checks):
/// what it records in eval.json, its escalation on a masking model, and its agreement with the standard version.</summary>
[Collection("lenet")]
public sealed class FastAutoAttackTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    private static EvalReport Evaluate(Classifier model, Advex.Data.Dataset data, Attack attack, int batch = 50) =>
        new RobustnessEvaluator().Evaluate(model, data, [attack], new EvalOptions { BatchSize = batch }, "test");

    [Fact]
    public void Fast_version_escalates_on_a_gradient_masking_model_and_says_why_in_the_report()
    {
        using var data = lenet.Test.Take(60);
        using var quantized = new Classifier(new Quantize(lenet.Model.Module), [1, 28, 28], 10);
        var fast = Evaluate(quantized, data, new AutoAttack(0.15, steps: 10, queries: 300, version: AutoAttackVersion.Fast));
        var run = fast.Runs.Single();
        var e = run.Escalation!;
        output.WriteLine($"fast on the quantized LeNet: robust {run.RobustAccuracy:P1}, escalated {e.EscalatedSamples}: " +
                         string.Join(", ", e.Reasons.Select(kv => $"{kv.Key} {kv.Value}")) + "; stages " +
                         string.Join(" → ", run.Stages!.Select(s => $"{s.Attack} {s.RobustAccuracy:P1}")));
        Assert.Equal("fast", e.Version);
        Assert.Equal(["apgd-ce", "apgd-t", "square-spot", "fab-t", "square"], e.Stages);
        Assert.True(e.Escalated);
        Assert.True(e.Reasons["zero_gradients"] > 0);               // (x·255).round() has no gradient
        var stages = run.Stages!;
        Assert.True(stages[4].ForwardPassesPerImage > 0);              // the standard Square really ran on them
        Assert.True(stages[4].RobustAccuracy < stages[1].RobustAccuracy, "Square broke what the masked gradients could not");
        Assert.Equal(run.RobustAccuracy, stages[^1].RobustAccuracy, 12);
        Assert.Contains(Advex.Cli.EvalTable.Lines(fast), l => l.Contains("ESCALATED") && l.Contains("zero_gradients"));

        // a healthy model: nothing escalates and the escalation stages cost nothing
        var healthy = Evaluate(lenet.Model, data, new AutoAttack(0.15, steps: 10, queries: 300, version: AutoAttackVersion.Fast)).Runs.Single();
        Assert.False(healthy.Escalation!.Escalated);
        Assert.Empty(healthy.Escalation.Reasons);
        Assert.Equal(0, healthy.Stages![3].GradientEvaluationsPerImage + healthy.Stages[4].ForwardPassesPerImage);
    }

    [Fact]
    public void Fast_version_uses_malt_targets_and_gives_the_same_records_whatever_the_batch_size()
    {
        using var data = lenet.Test.Take(40);
        var attack = new AutoAttack(0.1, steps: 10, queries: 200, version: AutoAttackVersion.Fast);
        Assert.Equal("malt", attack.Params["targets"]);
        Assert.Equal("fast", attack.Params["version"]);
        var evaluator = new RobustnessEvaluator();
        var a = evaluator.Records(lenet.Model, data, [attack], new EvalOptions { BatchSize = 40 }, [.. Enumerable.Range(0, 40).Select(i => (long)i)]);
        var b = evaluator.Records(lenet.Model, data, [attack], new EvalOptions { BatchSize = 13 }, [.. Enumerable.Range(0, 40).Select(i => (long)i)]);
        Assert.Equal(a.Select(r => Key(r)), b.Select(r => Key(r)));
        // APGD-T's MALT ranking: one gradient per candidate (9) on top of its steps, for every sample it attacks
        Assert.All(a.Where(r => r.StageGradients![1] > 0), r => Assert.True(r.StageGradients![1] >= 9 + 1));
    }

    private static string Key(SampleRecord r) =>
        $"{r.Index} {r.Adversarial} {r.Robust} {r.L2:R} {r.Linf:R} {r.Gradients} {r.Queries} {r.BrokenByStage} {r.Escalation}";

    private sealed class Quantize(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Quantize")
    {
        public override Tensor forward(Tensor x) => inner.call((x * 255).round() / 255);
    }
}
