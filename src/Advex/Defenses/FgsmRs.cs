namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// FGSM with random start (Wong, Rice, Kolter 2020, "Fast is better than free"), L∞:
/// δ ~ U(−ε, ε) (x + δ clipped to the box), δ ← clip_{[−ε,ε]}(δ + α·sign(∇_δ CE(f(x+δ), y))), x' = clip₀¹(x + δ);
/// the training loss is CE(f(x'), y) in the caller's mode. The attack runs in eval mode (<see cref="TrainingAttack"/>;
/// the paper's code attacks the training graph); the input gradient comes from torch.autograd.grad.
/// </summary>
public static class FgsmRs
{
    /// <summary>The registry entry (<see cref="TrainingMethodRegistry"/>).</summary>
    public static TrainingMethod Method { get; } = new("fgsm-rs",
        "one FGSM step from a uniform random start, Wong et al. 2020", SingleStep: true, "1.25·ε", (eps, _) => 1.25 * eps,
        b => Loss(b.Model, b.X, b.Y, b.Options.Eps, b.Options.Alpha, b.Rng));

    /// <summary>The adversarial batch x' (no graph).</summary>
    public static Tensor Perturb(Classifier model, Tensor x, Tensor y, double eps, double alpha, Generator? rng = null) =>
        TrainingAttack.InEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            var start = LpBall.RandomStart(x, eps, Norm.Linf, model.Lower, model.Upper, rng);
            var g = Gradients.CrossEntropy(model, start, new Untargeted(y));
            using var _ = no_grad();
            return LpBall.Project(start + alpha * g.sign(), x, eps, Norm.Linf).clamp(model.Lower, model.Upper)
                .MoveToOuterDisposeScope();
        });

    /// <summary>Mean CE on the FGSM-RS batch, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, double eps, double alpha, Generator? rng = null)
    {
        using var adv = Perturb(model, x, y, eps, alpha, rng);
        return cross_entropy(model.Logits(adv), y);
    }
}
