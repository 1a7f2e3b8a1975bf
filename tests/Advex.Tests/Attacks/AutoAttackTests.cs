namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>Standard AutoAttack (APGD-CE → APGD-T → FAB-T → Square) as a cascade on the shared LeNet.</summary>
[Collection("lenet")]
public sealed class AutoAttackTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    [Fact]
    public void Standard_autoattack_is_at_least_as_strong_as_apgd_ce_with_monotone_stages_inside_ball_and_box()
    {
        using var scope = NewDisposeScope();
        const double eps = 0.1;
        var (x, y) = lenet.Test.Slice(0, 128);
        var goal = new Untargeted(y);
        using var rng1 = new Generator(2);
        using var rng2 = new Generator(2);
        var ce = new Apgd(eps, Norm.Linf, ApgdLoss.CrossEntropy, steps: 20).Run(lenet.Model, x, goal, rng1);
        var aa = new AutoAttack(eps, Norm.Linf, steps: 20, queries: 500).Run(lenet.Model, x, goal, rng2);
        var ceRobust = ce.Success.logical_not().sum().item<long>();
        var aaRobust = aa.Success.logical_not().sum().item<long>();

        Assert.True(aa.Linf.max().item<float>() <= eps + 1e-6);
        Assert.True(aa.Adversarial.min().item<float>() >= 0 && aa.Adversarial.max().item<float>() <= 1);
        var trace = aa.Cascade!;
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], trace.Stages);
        var clean = lenet.Model.Predict(x).eq(y).data<bool>().ToArray();
        var after = trace.Stages.Select((_, s) => Enumerable.Range(0, 128).Count(i => clean[i] && (trace.BrokenBy[i] < 0 || trace.BrokenBy[i] > s))).ToArray();
        output.WriteLine($"ε={eps}: clean {clean.Count(c => c)}/128, APGD-CE alone {ceRobust}, after stages {string.Join(" → ", after)}");
        for (var s = 1; s < after.Length; s++) Assert.True(after[s] <= after[s - 1]);
        Assert.Equal(aaRobust, after[^1]);                          // the trace agrees with the real predictions
        Assert.True(aaRobust <= ceRobust, $"AutoAttack robust {aaRobust} > APGD-CE robust {ceRobust}");
        Assert.True(aaRobust < clean.Count(c => c));
        // every sample broken by a stage is really misclassified in the returned batch
        var wrong = aa.Predictions.ne(y).data<bool>().ToArray();
        Assert.All(Enumerable.Range(0, 128).Where(i => trace.BrokenBy[i] >= 0), i => Assert.True(wrong[i]));
    }

    [Fact]
    public void Standard_stages_are_exposed_in_order_for_linf_and_l2()
    {
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], AutoAttack.Standard(Norm.Linf, 0.3).Select(a => a.Name));
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], AutoAttack.Standard(Norm.L2, 0.5).Select(a => a.Name));
        Assert.All(AutoAttack.Standard(Norm.L2, 0.5), a => Assert.Equal(Norm.L2, a.Norm));
        Assert.Equal(["apgd-ce", "apgd-t"], new AutoAttack(0.3, version: AutoAttackVersion.Apgd).Stages.Select(a => a.Name));
        Assert.All(AutoAttack.Standard(Norm.L2, 0.5), a => Assert.Equal(0.5, a.Eps));
    }

    [Fact]
    public void Apgd_t_aims_at_the_class_of_an_untargeted_toward_goal_and_counts_any_misclassification()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 64);
        var second = lenet.Model.Logits(x).detach().argsort(1, descending: true)[.., 1].contiguous();
        using var rng = new Generator(3);
        var r = new Apgd(0.15, Norm.Linf, ApgdLoss.Dlr, steps: 20, earlyStop: true).Run(lenet.Model, x, new UntargetedToward(y, second), rng);
        Assert.True(lenet.Model.Predict(r.Adversarial).ne(y).eq(r.Success).all().item<bool>());
        Assert.True(r.Success.sum().item<long>() > 0);
    }

    [Fact]
    public void Early_stop_does_not_change_which_samples_apgd_breaks()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 128);
        using var rng1 = new Generator(9);
        using var rng2 = new Generator(9);
        var full = new Apgd(0.1, Norm.Linf, steps: 30).Run(lenet.Model, x, new Untargeted(y), rng1);
        var early = new Apgd(0.1, Norm.Linf, steps: 30, earlyStop: true).Run(lenet.Model, x, new Untargeted(y), rng2);
        Assert.True(full.Success.eq(early.Success).all().item<bool>());
        Assert.True(LpBall.LinfNorms(early.Adversarial - x).max().item<float>() <= 0.1 + 1e-6);
    }
}
