namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// N-FGSM (de Jorge et al. 2022, "Make Some Noise: Reliable and Efficient Single-Step Adversarial Training"), L∞:
/// η ~ U(−k·ε, k·ε), δ = η + α·sign(∇ CE(f(clip₀¹(x + η)), y)), x' = clip₀¹(x + δ), with no projection back onto the
/// ε-ball (‖δ‖∞ can reach k·ε + α). Stronger noise and no clipping are what keep single-step training from
/// catastrophic overfitting at large ε; the paper's defaults are k = 2, α = ε. The attack runs in eval mode
/// (<see cref="TrainingAttack"/>), the training loss CE(f(x'), y) in the caller's mode.
/// </summary>
public static class NFgsm
{
    /// <summary>The registry entry (<see cref="TrainingMethodRegistry"/>).</summary>
    public static TrainingMethod Method { get; } = new("n-fgsm",
        "one FGSM step from noise of k·ε, not projected back, de Jorge et al. 2022", SingleStep: true, "ε", (eps, _) => eps,
        b => Loss(b.Model, b.X, b.Y, b.Options.Eps, b.Options.Alpha, b.Options.Noise, b.Rng));

    /// <summary>The adversarial batch x' (no graph).</summary>
    public static Tensor Perturb(Classifier model, Tensor x, Tensor y, double eps, double alpha, double noise,
        Generator? rng = null) =>
        TrainingAttack.InEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            var noisy = LpBall.RandomStart(x, noise * eps, Norm.Linf, model.Lower, model.Upper, rng);
            var g = Gradients.CrossEntropy(model, noisy, new Untargeted(y));
            using var _ = no_grad();
            return (noisy + alpha * g.sign()).clamp(model.Lower, model.Upper).MoveToOuterDisposeScope();
        });

    /// <summary>Mean CE on the N-FGSM batch, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, double eps, double alpha, double noise,
        Generator? rng = null)
    {
        using var adv = Perturb(model, x, y, eps, alpha, noise, rng);
        return cross_entropy(model.Logits(adv), y);
    }
}
