namespace Advex.Tests.Defenses;

using Advex.Attacks.Core;
using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

public sealed class DefenseLossTests
{
    internal static Classifier UntrainedLeNet(int seed)
    {
        manual_seed(seed);
        return new Classifier(Architectures.Create("lenet", [1, 28, 28], 10), [1, 28, 28], 10, architecture: "lenet");
    }

    internal static (Tensor X, Tensor Y) Batch(int n)
    {
        using var test = DataSource.Load("mnist", "test");
        return test.Slice(0, n);
    }

    private static void AssertInBallAndBox(Tensor adv, Tensor x, double eps)
    {
        Assert.True(LpBall.LinfNorms(adv - x).max().item<float>() <= eps + 1e-6, "outside the ε-ball");
        Assert.True(adv.min().item<float>() >= 0 && adv.max().item<float>() <= 1, "outside the box [0,1]");
        Assert.True(adv.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(0.3, 0.375)]
    [InlineData(0.1, 0.5)]
    [InlineData(0.05, 0.01)]
    public void FgsmRs_perturbations_stay_in_the_eps_ball_and_the_box(double eps, double alpha)
    {
        using var scope = NewDisposeScope();
        using var model = UntrainedLeNet(1);
        model.Module.train();
        var (x, y) = Batch(64);
        using var rng = new Generator(3);
        var adv = FgsmRs.Perturb(model, x, y, eps, alpha, rng);
        AssertInBallAndBox(adv, x, eps);
        Assert.True(LpBall.LinfNorms(adv - x).max().item<float>() > eps / 2, "the perturbation should use the budget");
        Assert.True(model.Module.training, "FGSM-RS keeps the caller's (train) mode");
        var loss = FgsmRs.Loss(model, x, y, eps, alpha, rng);
        Assert.True(loss.requires_grad && loss.dim() == 0);
    }

    [Fact]
    public void FgsmRs_takes_one_signed_step_from_a_uniform_start()
    {
        using var scope = NewDisposeScope();
        using var model = UntrainedLeNet(2);
        var (x, y) = Batch(16);
        x = x.mul(0.5).add(0.25); // keep away from the box so only the ε-ball clips
        using var a = new Generator(7);
        using var b = new Generator(7);
        var start = LpBall.RandomStart(x, 0.1, Advex.Attacks.Norm.Linf, 0, 1, a);
        var adv = FgsmRs.Perturb(model, x, y, 0.1, 0.05, b);
        // |x' − start| is α wherever the ε-ball did not clip, and the start was uniform in the ball
        var step = (adv - start).abs();
        var clipped = (start - x).abs().gt(0.1 - 0.05 - 1e-6);
        Assert.True(step.masked_select(clipped.logical_not()).sub(0.05).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void NFgsm_steps_alpha_from_noise_of_k_eps_without_projecting_onto_the_ball()
    {
        using var scope = NewDisposeScope();
        using var model = UntrainedLeNet(3);
        var (x, y) = Batch(64);
        using var a = new Generator(11);
        using var b = new Generator(11);
        var noisy = LpBall.RandomStart(x, 2 * 0.1, Advex.Attacks.Norm.Linf, 0, 1, a);
        var adv = NFgsm.Perturb(model, x, y, 0.1, 0.1, noise: 2, b);
        Assert.True(adv.min().item<float>() >= 0 && adv.max().item<float>() <= 1, "outside the box [0,1]");
        // no ε-ball projection: the perturbation reaches beyond ε (up to k·ε + α = 0.3)
        var dist = LpBall.LinfNorms(adv - x).max().item<float>();
        Assert.True(dist > 0.2 && dist <= 0.3 + 1e-6, $"‖δ‖∞ = {dist}");
        // exactly one signed step of α from the noisy point wherever the box did not clip
        var inside = (noisy + 0.1).le(1).logical_and((noisy - 0.1).ge(0));
        Assert.True((adv - noisy).abs().masked_select(inside).sub(0.1).abs().max().item<float>() < 1e-5);
        Assert.True(NFgsm.Loss(model, x, y, 0.1, 0.1, 2, b).requires_grad);
    }

    [Fact]
    public void PgdAt_and_Trades_perturbations_stay_in_the_eps_ball_and_the_box()
    {
        using var scope = NewDisposeScope();
        using var model = UntrainedLeNet(4);
        model.Module.train();
        var (x, y) = Batch(32);
        using var rng = new Generator(5);
        AssertInBallAndBox(PgdAt.Perturb(model, x, y, 0.3, 0.1, 5, rng), x, 0.3);
        AssertInBallAndBox(Trades.Perturb(model, x, 0.3, 0.1, 5, rng), x, 0.3);
        Assert.True(model.Module.training, "the inner attacks restore train mode");
    }

    [Fact]
    public void Trades_loss_equals_cross_entropy_when_beta_is_zero()
    {
        using var scope = NewDisposeScope();
        using var model = UntrainedLeNet(6);
        var (x, y) = Batch(32);
        using var rng = new Generator(8);
        var trades = Trades.Loss(model, x, y, 0.3, 0.075, 3, beta: 0, rng).item<float>();
        using var _ = no_grad();
        Assert.Equal(cross_entropy(model.Logits(x), y).item<float>(), trades);
        var withKl = Trades.Loss(model, x, y, 0.3, 0.075, 3, beta: 6, rng).item<float>();
        Assert.True(withKl > trades, "the KL term of the inner maximum is positive");
    }

    [Fact]
    public void Options_are_validated_on_construction_with_paper_defaults()
    {
        var fgsm = new AdversarialTraining("fgsm-rs", 0.3);
        Assert.Equal(0.375, fgsm.Alpha, 12);
        Assert.Equal(1, fgsm.Steps);
        var nfgsm = new AdversarialTraining("n-fgsm", 0.3);
        Assert.Equal((0.3, 2.0, 1), (nfgsm.Alpha, nfgsm.Noise, nfgsm.Steps));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("n-fgsm", 0.3, steps: 2));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("n-fgsm", 0.3, noise: -1));
        Assert.Equal(0.025, new AdversarialTraining("pgd", 0.1).Alpha, 12);
        Assert.Equal(6, new AdversarialTraining("trades", 0.3).Beta);
        Assert.Throws<AdvexException>(() => new AdversarialTraining("free", 0.3));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("pgd", -0.1));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("pgd", 0.3, alpha: 0));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("fgsm-rs", 0.3, steps: 3));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("trades", 0.3, beta: -1));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("pgd", 0.3, heldout: 0));
        Assert.Equal(0, new AdversarialTraining("pgd", 0.3, earlyStopping: false, heldout: 0).Heldout);
    }
}
