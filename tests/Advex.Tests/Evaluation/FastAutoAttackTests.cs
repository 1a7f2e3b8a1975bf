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
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], e.Stages);
        Assert.True(e.Escalated);
        Assert.True(e.Reasons["zero_gradients"] > 0);               // (x·255).round() has no gradient
        var stages = run.Stages!;
        Assert.True(stages[3].ForwardPassesPerImage > 0);              // the standard Square really ran on them
        Assert.True(stages[3].RobustAccuracy < stages[1].RobustAccuracy, "Square broke what the masked gradients could not");
        Assert.Equal(run.RobustAccuracy, stages[^1].RobustAccuracy, 12);
        Assert.Contains(Advex.Cli.EvalTable.Lines(fast), l => l.Contains("ESCALATED") && l.Contains("zero_gradients"));

        // a healthy model: nothing escalates and the escalation stages cost nothing
        var healthy = Evaluate(lenet.Model, data, new AutoAttack(0.15, steps: 10, queries: 300, version: AutoAttackVersion.Fast)).Runs.Single();
        Assert.False(healthy.Escalation!.Escalated);
        Assert.Empty(healthy.Escalation.Reasons);
        Assert.Equal(0, healthy.Stages![2].GradientEvaluationsPerImage + healthy.Stages[3].ForwardPassesPerImage);
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

    [Fact]
    public void Square_spot_check_escalates_a_model_whose_gradients_mislead_without_vanishing()
    {
        // LeNet plus a tiny, fast-oscillating term: the logits move by at most 0.05, but the input gradient is
        // dominated by the oscillation (nonzero, deterministic logits, no probabilities: no per-sample check fires),
        // so APGD's steps wander while Square, reading values only, attacks the LeNet underneath
        using var data = lenet.Test.Take(64);
        using var shattered = new Classifier(new Shattered(lenet.Model.Module), [1, 28, 28], 10);
        var attack = new AutoAttack(0.15, steps: 20, queries: 1000, version: AutoAttackVersion.Fast);
        var fast = Evaluate(shattered, data, attack, batch: 32).Runs.Single();
        var standard = Evaluate(shattered, data, new AutoAttack(0.15, steps: 20, queries: 1000, targets: Advex.Attacks.Core.TargetRanking.Malt), batch: 32).Runs.Single();
        var e = fast.Escalation!;
        output.WriteLine($"fast {fast.RobustAccuracy:P1} (escalated {e.EscalatedSamples}: {string.Join(", ", e.Reasons.Select(kv => $"{kv.Key} {kv.Value}"))}; " +
                         string.Join(" → ", fast.Stages!.Select(s => $"{s.Attack} {s.RobustAccuracy:P1}")) + $"), standard {standard.RobustAccuracy:P1}");
        Assert.True(e.Escalated);
        Assert.Equal(["square_spot_check"], e.Reasons.Keys);
        Assert.True(fast.Stages![3].RobustAccuracy < fast.Stages[1].RobustAccuracy, "Square broke what the white box left");
        Assert.Equal(standard.RobustAccuracy, fast.RobustAccuracy, 12); // escalated, fast runs what standard runs
        var verdict = ((AutoAttack)attack.ForRun(shattered, data.Slice(0, 64).X, new Untargeted(data.Slice(0, 64).Y),
            Advex.Attacks.Core.AttackContext.For(0, [.. Enumerable.Range(0, 64).Select(i => (long)i)]))).Spot!;
        output.WriteLine(verdict.ToString());
        Assert.True(verdict.Fired);

        // the same check on the LeNet itself stays quiet
        var quiet = ((AutoAttack)attack.ForRun(lenet.Model, data.Slice(0, 64).X, new Untargeted(data.Slice(0, 64).Y),
            Advex.Attacks.Core.AttackContext.For(0, [.. Enumerable.Range(0, 64).Select(i => (long)i)]))).Spot!;
        output.WriteLine(quiet.ToString());
        Assert.False(quiet.Fired);
    }

    [Theory]
    [InlineData(30, 2, 0, false)] // 2 < max(2, ⌈10 % of 30⌉ = 3)
    [InlineData(30, 3, 0, true)]
    [InlineData(10, 1, 0, false)] // at least 2, however few were checked
    [InlineData(10, 2, 0, true)]
    [InlineData(30, 2, 2, false)] // breaks count as stronger, no more
    [InlineData(0, 0, 0, false)]
    public void Spot_check_fires_on_a_tenth_of_the_samples_and_at_least_two(int @checked, int stronger, int broke, bool fired) =>
        Assert.Equal(fired, new SpotCheck(@checked, stronger, broke).Fired);

    private sealed class Shattered(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Shattered")
    {
        private readonly Tensor directions = randn([784, 10], generator: new TorchSharp.torch.Generator(7));

        public override Tensor forward(Tensor x) =>
            inner.call(x) + 0.05 * (x.flatten(1).matmul(directions) * 3000).sin();
    }

    private static string Key(SampleRecord r) =>
        $"{r.Index} {r.Adversarial} {r.Robust} {r.L2:R} {r.Linf:R} {r.Gradients} {r.Queries} {r.BrokenByStage} {r.Escalation}";

    private sealed class Quantize(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("Quantize")
    {
        public override Tensor forward(Tensor x) => inner.call((x * 255).round() / 255);
    }
}
