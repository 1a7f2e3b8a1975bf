namespace Advex.Tests.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Defenses;
using Advex.Tests.Support;
using static TorchSharp.torch;

public sealed class FgsmEpTests
{
    [Fact]
    public void On_a_fixed_model_k_epochs_of_fgsm_ep_are_pgd_with_k_steps_from_the_first_random_start()
    {
        using var scope = NewDisposeScope();
        using var model = DefenseLossTests.UntrainedLeNet(5);
        var (x, y) = DefenseLossTests.Batch(32);
        long[] indices = [.. Enumerable.Range(100, 32).Select(i => (long)i)];
        const double eps = 0.3, alpha = 0.1;
        var memory = new PerturbationMemory();
        using var a = new Generator(9);
        using var b = new Generator(9);
        Tensor adv = x;
        for (var epoch = 1; epoch <= 4; epoch++)
        {
            adv = FgsmEp.Perturb(model, x, y, indices, memory, eps, alpha, a);
            Assert.True(LpBall.LinfNorms(adv - x).max().item<float>() <= eps + 1e-6, "outside the ε-ball");
            Assert.True(adv.min().item<float>() >= 0 && adv.max().item<float>() <= 1, "outside the box");
        }
        Assert.Equal(32, memory.Count);

        var start = LpBall.RandomStart(x, eps, Norm.Linf, 0, 1, b);
        var pgd = Pgd.Iterate(model, x, new Untargeted(y), eps, Norm.Linf, 4, alpha, start);
        // δ is stored as x' − x and re-added, which can move a pixel by one float ulp, so compare within rounding
        // (a flipped gradient sign would move a pixel by up to 2α)
        var far = (adv - pgd).abs().gt(1e-5).sum().item<long>();
        Assert.True(far <= x.numel() / 1000, $"{far} of {x.numel()} pixels differ from PGD-4");

        // the climb is real: the accumulated start ends with a higher loss than one FGSM-RS step
        using var c = new Generator(9);
        var once = FgsmRs.Perturb(model, x, y, eps, alpha, c);
        Assert.True(nn.functional.cross_entropy(model.Logits(adv), y).item<float>() >
                    nn.functional.cross_entropy(model.Logits(once), y).item<float>());
    }

    [Fact]
    public void Memory_returns_the_fallback_for_unseen_samples_and_survives_save_and_load_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        var memory = new PerturbationMemory();
        var stored = rand(3, 1, 4, 4);
        memory.Store([7, 2, 40], stored);
        var fallback = full(new long[] { 4, 1, 4, 4 }, -1f);
        var rows = memory.Recall([2, 5, 40, 7], fallback);
        Assert.True(rows[0].eq(stored[1]).all().item<bool>());
        Assert.True(rows[1].eq(fallback[1]).all().item<bool>());
        Assert.True(rows[2].eq(stored[2]).all().item<bool>());
        Assert.True(rows[3].eq(stored[0]).all().item<bool>());

        var path = Path.Combine(Paths.TempDir(), "perturbations.bin");
        memory.Save(path);
        var loaded = new PerturbationMemory();
        loaded.Load(path);
        Assert.Equal(3, loaded.Count);
        Assert.True(loaded.Recall([2, 5, 40, 7], fallback).eq(rows).all().item<bool>());
    }
}
