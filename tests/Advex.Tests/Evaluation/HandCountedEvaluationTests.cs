namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The evaluation's arithmetic (accuracies, success rates, the per-sample worst case, per-class figures) against
/// figures counted by hand on a fixture small enough to follow with a pencil.
/// </summary>
public sealed class HandCountedEvaluationTests
{
    /// <summary>
    /// One pixel x ∈ [0, 1]; class 1 inside the stripe |x − 0.5| &lt; 0.1, class 0 outside: logits (0, 1 − 10·|x − 0.5|).
    /// The loss gradient pushes a class-0 sample toward 0.5 and a class-1 sample away from it, so FGSM's single step
    /// of ε can jump over the stripe while PGD's small steps stop inside it: the two attacks break different samples.
    /// </summary>
    private sealed class Stripe : Module<Tensor, Tensor>
    {
        public Stripe() : base(nameof(Stripe)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            var z1 = 1 - (x.reshape(-1, 1) - 0.5).abs() * 10;
            return cat([zeros_like(z1), z1], 1);
        }
    }

    // pixel bytes (x = b/255), labels, and by hand (ε = 0.3; FGSM: x ± 0.3; PGD: 3 steps of 0.05, no random start):
    //  i  byte  x      label  clean    FGSM x' (robust?)   PGD x' (robust?)
    //  0   13   0.051  0      right    0.351 (yes)          0.201 (yes)
    //  1   38   0.149  0      right    0.449 (no)           0.299 (yes)
    //  2   71   0.278  0      right    0.578 (no)           0.428 (no)
    //  3   92   0.361  0      right    0.661 (yes: over)    0.511 (no)
    //  4  235   0.922  0      right    0.622 (yes)          0.772 (yes)
    //  5  105   0.412  1      right    0.112 (no)           0.262 (no)
    //  6  125   0.490  1      right    0.190 (no)           0.340 (no)
    //  7   20   0.078  1      wrong    wrong                wrong
    private static readonly byte[] Pixels = [13, 38, 71, 92, 235, 105, 125, 20];
    private static readonly long[] Labels = [0, 0, 0, 0, 0, 1, 1, 1];

    [Fact]
    public void Accuracies_worst_case_and_per_class_figures_equal_the_hand_count()
    {
        using var model = new Classifier(new Stripe(), [1, 1, 1], 2);
        using var data = new Dataset(Pixels, Labels, 1, 1, 1, ["outside", "inside"], "stripe", "test");
        Attack[] attacks = [new Fgsm(0.3), new Pgd(0.3, Norm.Linf, steps: 3, stepSize: 0.05, randomStart: false)];
        var report = new RobustnessEvaluator().Evaluate(model, data, attacks, new EvalOptions { Eps = [0.3], BatchSize = 3 }, "stripe");

        Assert.Equal(7 / 8.0, report.CleanAccuracy, 12);
        var (fgsm, pgd) = (report.Runs[0], report.Runs[1]);
        Assert.Equal(3 / 8.0, fgsm.RobustAccuracy, 12);      // samples 0, 3, 4
        Assert.Equal(4 / 7.0, fgsm.AttackSuccessRate, 12);   // 1, 2, 5, 6 of the 7 right ones
        Assert.Equal(3 / 8.0, pgd.RobustAccuracy, 12);       // samples 0, 1, 4
        Assert.Equal(4 / 7.0, pgd.AttackSuccessRate, 12);    // 2, 3, 5, 6

        // robust only where both attacks failed: samples 0 and 4, below either attack alone
        var worst = Assert.Single(report.WorstCase);
        Assert.Equal(0.3, worst.Eps);
        Assert.Equal("linf", worst.Norm);
        Assert.Equal(["fgsm", "pgd"], worst.Attacks);
        Assert.Equal(2 / 8.0, worst.RobustAccuracy, 12);

        Assert.Equal(2, report.PerClass.Count);
        var (outside, inside) = (report.PerClass[0], report.PerClass[1]);
        Assert.Equal((0, "outside", 5), (outside.Class, outside.Name, outside.Count));
        Assert.Equal(1.0, outside.CleanAccuracy, 12);
        Assert.Equal(3 / 5.0, outside.RobustAccuracy[RobustnessEvaluator.Key(fgsm)], 12);
        Assert.Equal(3 / 5.0, outside.RobustAccuracy[RobustnessEvaluator.Key(pgd)], 12);
        Assert.Equal((1, "inside", 3), (inside.Class, inside.Name, inside.Count));
        Assert.Equal(2 / 3.0, inside.CleanAccuracy, 12);
        Assert.Equal(0.0, inside.RobustAccuracy[RobustnessEvaluator.Key(fgsm)], 12);
        Assert.Equal(0.0, inside.RobustAccuracy[RobustnessEvaluator.Key(pgd)], 12);
    }
}
