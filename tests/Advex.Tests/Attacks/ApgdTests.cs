namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using FsCheck;
using FsCheck.Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

[Collection("lenet")]
public sealed class ApgdTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.3, 0.03)]
    [InlineData(0.1, 0.01)] // a budget where neither attack breaks every sample, so the comparison has teeth
    public void Apgd_ce_is_at_least_as_strong_as_pgd_on_the_trained_lenet(double eps, double pgdStep)
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 256);
        var goal = new Untargeted(y);
        using var rng1 = new Generator(5);
        using var rng2 = new Generator(5);
        var pgd = new Pgd(eps, Norm.Linf, steps: 20, stepSize: pgdStep).Run(lenet.Model, x, goal, rng1);
        var apgd = new Apgd(eps, Norm.Linf, ApgdLoss.CrossEntropy).Run(lenet.Model, x, goal, rng2);
        var pgdRobust = pgd.Success.logical_not().sum().item<long>();
        var apgdRobust = apgd.Success.logical_not().sum().item<long>();
        var clean = lenet.Model.Predict(x).eq(y).sum().item<long>();
        output.WriteLine($"ε={eps}: clean {clean}/256, PGD-20 robust {pgdRobust}/256, APGD-CE robust {apgdRobust}/256");
        Assert.True(apgdRobust <= pgdRobust + 1, $"APGD-CE robust {apgdRobust} > PGD robust {pgdRobust} + 1");
        Assert.True(LpBall.LinfNorms(apgd.Adversarial - x).max().item<float>() <= eps + 1e-6);
    }

    [Fact]
    public void Apgd_l2_and_dlr_variants_break_the_trained_lenet()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 64);
        var goal = new Untargeted(y);
        var clean = lenet.Model.Predict(x).eq(y).sum().item<long>();
        foreach (var attack in new Attack[]
                 {
                     new Apgd(2.0, Norm.L2, ApgdLoss.CrossEntropy, steps: 30),
                     new Apgd(0.3, Norm.Linf, ApgdLoss.Dlr, steps: 30),
                 })
        {
            using var rng = new Generator(1);
            var r = attack.Run(lenet.Model, x, goal, rng);
            var robust = r.Success.logical_not().sum().item<long>();
            output.WriteLine($"{attack.Name} {attack.Norm.Name()} ε={attack.Eps}: robust {robust}/64 (clean {clean})");
            Assert.True(robust < clean / 2, $"{attack.Name} {attack.Norm.Name()}: robust {robust} of clean {clean}");
            var norms = attack.Norm == Norm.L2 ? r.L2 : r.Linf;
            Assert.True(norms.max().item<float>() <= attack.Eps + 1e-5);
        }
    }

    [Fact]
    public void Checkpoints_for_100_iterations_follow_the_recurrence()
    {
        // The recurrence of the paper in exact decimal arithmetic: p₀ = 0, p₁ = 0.22,
        // p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06), w_j = ⌈p_j · N⌉ while p_j ≤ 1.
        const int n = 100;
        var p = new List<decimal> { 0m, 0.22m };
        while (p[^1] + Math.Max(p[^1] - p[^2] - 0.03m, 0.06m) is var next && next <= 1m) p.Add(next);
        var expected = p.Select(pj => (int)decimal.Ceiling(pj * n)).Distinct().ToList();
        Assert.Equal(expected, Apgd.Checkpoints(n));
        Assert.Equal(0, expected[0]);
        Assert.Equal(22, expected[1]); // ⌈0.22 · 100⌉ without floating-point drift
    }

    [Fact]
    public void Checkpoints_are_strictly_increasing_and_within_the_budget_for_any_length()
    {
        foreach (var n in new[] { 1, 2, 5, 10, 20, 37, 100, 1000 })
        {
            var w = Apgd.Checkpoints(n);
            Assert.Equal(0, w[0]);
            Assert.All(w.Zip(w.Skip(1)), pair => Assert.True(pair.First < pair.Second));
            Assert.True(w[^1] <= n);
        }
    }

    [Property(MaxTest = 100)]
    public void Dlr_loss_is_invariant_to_shifting_and_positive_scaling_of_the_logits(int seed, int shift, PositiveInt scale)
    {
        using var scope = NewDisposeScope();
        using var rng = new Generator(unchecked((ulong)seed));
        var logits = randn([8, 10], dtype: ScalarType.Float64, generator: rng) * 3;
        var labels = randint(0, 10, [8], generator: rng);
        var targets = (labels + randint(1, 10, [8], generator: rng)) % 10;
        var s = scale.Get / 10.0;
        var transformed = logits * s + shift / 7.0;

        var a = Losses.Dlr(logits, labels);
        var b = Losses.Dlr(transformed, labels);
        Assert.True((a - b).abs().max().item<double>() <= 1e-6 * (1 + a.abs().max().item<double>()),
            $"DLR changed under z → {s}·z + {shift / 7.0}");
        var at = Losses.DlrTargeted(logits, labels, targets);
        var bt = Losses.DlrTargeted(transformed, labels, targets);
        Assert.True((at - bt).abs().max().item<double>() <= 1e-6 * (1 + at.abs().max().item<double>()),
            $"targeted DLR changed under z → {s}·z + {shift / 7.0}");
    }

    [Fact]
    public void Dlr_is_negative_margin_over_the_top_three_gap()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 4, 1, 3, 0, -2 }).reshape(1, 5);
        // y = 0: −(4 − 3)/(4 − 1); y = 2 (runner-up): −(3 − 4)/(4 − 1); targeted y=0,t=1: −(4 − 1)/(4 − ½(1 + 0))
        Assert.Equal(-1.0 / 3, Losses.Dlr(logits, tensor(new long[] { 0 })).item<double>(), 9);
        Assert.Equal(1.0 / 3, Losses.Dlr(logits, tensor(new long[] { 2 })).item<double>(), 9);
        Assert.Equal(-3.0 / 3.5, Losses.DlrTargeted(logits, tensor(new long[] { 0 }), tensor(new long[] { 1 })).item<double>(), 9);
    }

    [Fact]
    public void Apgd_rejects_invalid_options_with_named_messages()
    {
        Assert.Contains("steps", Assert.Throws<AdvexException>(() => new Apgd(0.3, steps: 0)).Message);
        Assert.Contains("eps", Assert.Throws<AdvexException>(() => new Apgd(-1)).Message);
        Assert.Contains("restarts", Assert.Throws<AdvexException>(() => new AutoAttack(0.3, restarts: 0)).Message);
    }

    [Fact]
    public void AutoAttack_is_at_least_as_strong_as_apgd_ce_alone()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 64);
        var goal = new Untargeted(y);
        using var rng1 = new Generator(2);
        using var rng2 = new Generator(2);
        // a small budget leaves robust samples after APGD-CE, so the APGD-T stage has work to do
        var ce = new Apgd(0.1, Norm.Linf, ApgdLoss.CrossEntropy, steps: 20).Run(lenet.Model, x, goal, rng1);
        var aa = new AutoAttack(0.1, Norm.Linf, steps: 20).Run(lenet.Model, x, goal, rng2);
        var ceRobust = ce.Success.logical_not().sum().item<long>();
        var aaRobust = aa.Success.logical_not().sum().item<long>();
        output.WriteLine($"ε=0.1: APGD-CE robust {ceRobust}/64, AutoAttack robust {aaRobust}/64");
        Assert.True(aaRobust <= ceRobust, $"AutoAttack robust {aaRobust} > APGD-CE robust {ceRobust}");
    }
}
