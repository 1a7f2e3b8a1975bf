namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Evaluation;
using Advex.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>The evaluator's FGSM table against an independent per-sample recomputation.</summary>
[Collection("lenet")]
public sealed class FgsmEvaluationTests(TrainedLeNet lenet)
{
    private static readonly double[] Eps = [0, 0.1, 0.2, 0.3];

    [Fact]
    public void Fgsm_table_matches_an_independent_per_sample_recomputation()
    {
        var attacks = Eps.Select(e => (Attack)new Fgsm(e)).ToList();
        var report = new RobustnessEvaluator().Evaluate(lenet.Model, lenet.Test, attacks,
            new EvalOptions { BatchSize = 100 }, "fixture");

        Assert.Equal(lenet.CleanAccuracy, report.CleanAccuracy, 12);
        Assert.Equal(report.CleanAccuracy, report.Runs[0].RobustAccuracy, 12);
        for (var k = 0; k < Eps.Length; k++)
        {
            var (accuracy, success) = Recompute(Eps[k]);
            Assert.Equal(accuracy, report.Runs[k].RobustAccuracy, 12);
            Assert.Equal(success, report.Runs[k].AttackSuccessRate, 12);
            Assert.True(report.Runs[k].MaxLinf <= Eps[k] + 1e-6);
        }
        Assert.True(report.Runs[^1].RobustAccuracy < report.CleanAccuracy - 0.3, "FGSM at 0.3 should break LeNet");
        Assert.All(report.Sanity.Where(s => s.Check is "perturbation_within_eps" or "inside_box" or "no_nan" or "eps_zero_unchanged"),
            s => Assert.True(s.Ok, s.Detail));
    }

    /// <summary>One sample at a time, straight from the formula x' = clip(x + ε·sign(∇ₓ CE)).</summary>
    private (double Accuracy, double Success) Recompute(double eps)
    {
        int correct = 0, cleanCorrect = 0, broken = 0;
        for (var i = 0; i < lenet.Test.Count; i++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = lenet.Test.Slice(i, 1);
            var xr = x.detach().requires_grad_(true);
            Tensor adv;
            using (enable_grad())
            {
                var loss = cross_entropy(lenet.Model.Module.call(xr), y);
                var g = autograd.grad([loss], [xr])[0];
                adv = (x + eps * g.sign()).clamp(0, 1);
            }
            using var _ = no_grad();
            var clean = lenet.Model.Module.call(x).argmax(1).item<long>() == y.item<long>();
            var robust = lenet.Model.Module.call(adv).argmax(1).item<long>() == y.item<long>();
            if (robust) correct++;
            if (clean) cleanCorrect++;
            if (clean && !robust) broken++;
        }
        return ((double)correct / lenet.Test.Count, (double)broken / cleanCorrect);
    }
}
