namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Examples;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// Expectation over transformation on a randomized model (docs/examples' Gaussian-noise defense in front of the
/// TorchScript LeNet): an EoT gradient is exactly the mean of N single-draw gradients taken from the seeded global
/// generator, repeats for a seed, counts N gradient evaluations, and leaves the generator as it found it; AutoAttack's
/// rand version runs APGD-CE then APGD-DLR with 20 draws.
/// </summary>
public sealed class ExpectationTests
{
    /// <summary>The noisy model; dispose the LeNet it wraps (see <see cref="RandomizedDefenseExample.Noisy"/>).</summary>
    private static Classifier NoisyLeNet(out Classifier lenet)
    {
        lenet = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        return RandomizedDefenseExample.Noisy(lenet, 0.3);
    }

    private static (Tensor X, Tensor Y) Images(int n)
    {
        using var test = Advex.Data.DataSource.Load("mnist", "test");
        return test.Slice(0, n);
    }

    [Fact]
    public void Eot_gradient_is_the_mean_of_n_single_draws_and_repeats_for_a_seed()
    {
        using var scope = NewDisposeScope();
        var model = NoisyLeNet(out var lenet);
        using var owner = lenet;
        var (x, y) = Images(8);
        var goal = new Untargeted(y);
        Tensor Eot(long seed)
        {
            using var e = Expectation.Over(8, seed);
            Assert.Equal(8, Expectation.Draws);
            return Gradients.CrossEntropy(model, x, goal);
        }
        var before = random.get_rng_state();
        var g = Eot(123);
        Assert.True(random.get_rng_state().eq(before).all().item<bool>(), "the global generator is restored");
        Assert.Equal(1, Expectation.Draws);

        random.manual_seed(123);
        var sum = zeros_like(x);
        var singles = new List<Tensor>();
        for (var n = 0; n < 8; n++)
        {
            var one = Gradients.CrossEntropy(model, x, goal);
            singles.Add(one);
            sum += one;
        }
        random.set_rng_state(before);
        Assert.True((g - sum / 8).abs().max().item<float>() <= 1e-6f * (1 + g.abs().max().item<float>()), "not the mean of 8 draws");
        Assert.False(singles[0].eq(singles[1]).all().item<bool>(), "the model is not randomized");
        Assert.True(Eot(123).eq(g).all().item<bool>(), "the same seed gives another gradient");
        Assert.False(Eot(124).eq(g).all().item<bool>(), "another seed gives the same gradient");
    }

    [Fact]
    public void Pgd_with_eot_counts_every_draw_and_is_deterministic_given_the_seed()
    {
        using var scope = NewDisposeScope();
        var model = NoisyLeNet(out var lenet);
        using var owner = lenet;
        var (x, y) = Images(8);
        var pgd = new Pgd(0.3, steps: 5, stepSize: 0.05) with { Eot = 4 };
        Assert.Equal(4, pgd.ReportedParams["eot"]);
        using var c1 = AttackContext.Sequential(8, 5);
        using var c2 = AttackContext.Sequential(8, 5);
        using var c3 = AttackContext.Sequential(8, 6);
        var a = pgd.Run(model, x, new Untargeted(y), c1).Adversarial;
        var b = pgd.Run(model, x, new Untargeted(y), c2).Adversarial;
        var c = pgd.Run(model, x, new Untargeted(y), c3).Adversarial;
        Assert.All(c1.GradientCounts, k => Assert.Equal(5 * 4, k));
        Assert.True(a.eq(b).all().item<bool>(), "same seed, different result");
        Assert.False(a.eq(c).all().item<bool>(), "another seed, same result");
    }

    [Fact]
    public void Autoattack_rand_runs_apgd_ce_then_apgd_dlr_with_20_draws_per_gradient()
    {
        using var scope = NewDisposeScope();
        var attack = AttackRegistry.Create("autoattack", 0.3, new AttackSettings { Version = "rand", Steps = 2 });
        var aa = Assert.IsType<AutoAttack>(attack);
        Assert.Equal(AutoAttackVersion.Rand, aa.Version);
        Assert.Equal(["apgd-ce", "apgd-dlr"], aa.Stages.Select(s => s.Name));
        Assert.Equal(20, aa.Eot);
        Assert.Equal("rand", aa.ReportedParams["version"]);
        Assert.Equal(20, aa.ReportedParams["eot"]);
        Assert.Equal(20, aa.WithEps(0.1).Eot);
        Assert.Equal(5, AttackRegistry.Create("autoattack", 0.3, new AttackSettings { Version = "rand", Eot = 5 }).Eot);
        var model = NoisyLeNet(out var lenet);
        using var owner = lenet;
        var (x, y) = Images(4);
        using var context = AttackContext.Sequential(4, 0);
        var r = attack.Run(model, x, new Untargeted(y), context);
        Assert.All(context.GradientCounts, k => Assert.True(k > 0 && k % 20 == 0, $"{k} gradient evaluations"));
        Assert.NotNull(r.Cascade);
    }

    [Fact]
    public void Eot_is_refused_by_name_where_gradients_cannot_be_averaged()
    {
        using var scope = NewDisposeScope();
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        var (x, y) = Images(2);
        foreach (var name in new[] { "hsj", "square", "cw" })
        {
            var attack = AttackRegistry.Create(name, 0.3, new AttackSettings { Eot = 3 });
            var e = Assert.Throws<AdvexException>(() => attack.Run(model, x, new Untargeted(y)));
            Assert.Contains("eot applies", e.Message);
        }
        Assert.Contains("eot must be >= 1", Assert.Throws<AdvexException>(() => AttackRegistry.Create("pgd", 0.3,
            new AttackSettings { Eot = 0 })).Message);
        Assert.Contains("unknown AutoAttack version", Assert.Throws<AdvexException>(() => AttackRegistry.Create("autoattack", 0.3,
            new AttackSettings { Version = "quick" })).Message);
    }
}
