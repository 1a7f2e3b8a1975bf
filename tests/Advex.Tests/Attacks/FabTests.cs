namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>FAB is a minimum-norm attack: what it finds is no larger than the budget PGD needs, targeted runs reach
/// the target, and L1 works.</summary>
[Collection("lenet")]
public sealed class FabTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    /// <summary>Per sample, the smallest ε of the grid at which PGD-40 (one random start) breaks it; +∞ if none.</summary>
    private double[] PgdNeededEps(Tensor x, Tensor y, Norm norm, double[] grid)
    {
        var needed = Enumerable.Repeat(double.PositiveInfinity, (int)x.shape[0]).ToArray();
        foreach (var eps in grid.OrderDescending())
        {
            using var scope = NewDisposeScope();
            using var rng = new Generator(1);
            var r = new Pgd(eps, norm, steps: 40, stepSize: 2.5 * eps / 40 * 2).Run(lenet.Model, x, new Untargeted(y), rng);
            var ok = r.Success.data<bool>().ToArray();
            for (var i = 0; i < ok.Length; i++) if (ok[i]) needed[i] = eps;
        }
        return needed;
    }

    [Theory]
    [InlineData("linf", new[] { 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3 })]
    [InlineData("l2", new[] { 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0 })]
    public void Fab_needs_no_more_than_the_budget_pgd_needs(string normName, double[] grid)
    {
        using var scope = NewDisposeScope();
        var norm = NormNames.Parse(normName);
        var (x, y) = lenet.Test.Slice(0, 64);
        var budget = norm == Norm.Linf ? 1.0 : grid[^1] * 4;                            // a budget that never binds
        var fab = new Fab(budget, norm).Run(lenet.Model, x, new Untargeted(y));
        var fabNorms = LpBall.Norms(fab.Adversarial - x, norm).data<float>().ToArray();
        var fabOk = fab.Success.data<bool>().ToArray();
        var needed = PgdNeededEps(x, y, norm, grid);
        var broken = Enumerable.Range(0, 64).Where(i => !double.IsPositiveInfinity(needed[i]) && needed[i] > 0).ToArray();
        var smaller = broken.Count(i => fabOk[i] && fabNorms[i] <= needed[i] + 1e-6);
        output.WriteLine($"{normName}: PGD broke {broken.Length}/64 on the grid; FAB found ≤ PGD's ε on {smaller}; " +
                         $"median FAB norm {fabNorms.Where((_, i) => fabOk[i]).Order().ElementAt(fabOk.Count(b => b) / 2):0.###}");
        Assert.True(broken.Length >= 32, "PGD should break most samples on this grid");
        Assert.True(smaller >= 0.9 * broken.Length, $"FAB needed more than PGD on {broken.Length - smaller} of {broken.Length}");
    }

    [Fact]
    public void Fab_with_a_target_reaches_the_target()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 64);
        using var rng = new Generator(4);
        var targets = Targets.Random(y, 10, rng);
        var r = new Fab(1.0, Norm.Linf).Run(lenet.Model, x, new Targeted(targets));
        var predicted = lenet.Model.Predict(r.Adversarial);
        Assert.True(predicted.eq(targets).eq(r.Success).all().item<bool>());
        var hits = r.Success.sum().item<long>();
        output.WriteLine($"targeted FAB L∞: {hits}/64 reach the target, mean L∞ {r.Linf.masked_select(r.Success).mean().item<float>():0.###}");
        Assert.True(hits >= 58, $"only {hits}/64 reached the target");
    }

    [Fact]
    public void Fab_t_toward_a_class_counts_any_misclassification()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 64);
        var second = lenet.Model.Logits(x).detach().argsort(1, descending: true)[.., 1].contiguous();
        var r = new Fab(0.3, Norm.Linf, earlyStop: true).Run(lenet.Model, x, new UntargetedToward(y, second));
        var predicted = lenet.Model.Predict(r.Adversarial);
        Assert.True(predicted.ne(y).eq(r.Success).all().item<bool>());
        Assert.True(r.Success.sum().item<long>() >= 50);
        Assert.True(r.Linf.max().item<float>() <= 0.3 + 1e-6);
    }

    [Fact]
    public void Fab_l1_stays_in_the_l1_ball_and_breaks_samples()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 32);
        const double eps = 15;
        var r = new Fab(eps, Norm.L1, steps: 50).Run(lenet.Model, x, new Untargeted(y));
        var l1 = LpBall.L1Norms(r.Adversarial - x);
        Assert.True(l1.max().item<float>() <= eps * (1 + 1e-5), $"L1 {l1.max().item<float>()} > {eps}");
        var broken = r.Success.sum().item<long>();
        output.WriteLine($"FAB L1 ε={eps}: {broken}/32 broken, median L1 {l1.masked_select(r.Success).median().item<float>():0.##}");
        Assert.True(broken >= 16, $"only {broken}/32 broken");
        Assert.Contains("l1", Assert.Throws<AdvexException>(() => new Pgd(1, Norm.L1).Run(lenet.Model, x, new Untargeted(y))).Message);
    }

    [Fact]
    public void Fab_rejects_invalid_options_with_named_messages()
    {
        Assert.Contains("steps", Assert.Throws<AdvexException>(() => new Fab(0.3, steps: 0)).Message);
        Assert.Contains("eta", Assert.Throws<AdvexException>(() => new Fab(0.3, eta: 0.5)).Message);
        Assert.Contains("beta", Assert.Throws<AdvexException>(() => new Fab(0.3, beta: 2)).Message);
        Assert.Contains("alpha-max", Assert.Throws<AdvexException>(() => new Fab(0.3, alphaMax: -1)).Message);
    }
}
