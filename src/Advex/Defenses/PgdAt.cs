namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// PGD adversarial training (Madry et al. 2018), L∞: x' from a uniform random start in the ε-ball and K steps
/// x ← clip₀¹(Π_ε(x + α·sign(∇ₓ CE))); the training loss is CE(f(x'), y).
/// The inner attack runs with the model in eval mode (as robustness libraries and Rice et al. do; Madry's code uses
/// the training graph); the mode is restored before the loss. The native models have no dropout or batch norm, so
/// the two choices give the same examples here.
/// </summary>
public static class PgdAt
{
    /// <summary>The adversarial batch x' (no graph).</summary>
    public static Tensor Perturb(Classifier model, Tensor x, Tensor y, double eps, double alpha, int steps,
        Generator? rng = null)
    {
        using var eval = model.EvalMode();
        var start = LpBall.RandomStart(x, eps, Norm.Linf, model.Lower, model.Upper, rng);
        return Pgd.Iterate(model, x, new Untargeted(y), eps, Norm.Linf, steps, alpha, start);
    }

    /// <summary>Mean CE on the PGD batch, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, double eps, double alpha, int steps,
        Generator? rng = null)
    {
        using var adv = Perturb(model, x, y, eps, alpha, steps, rng);
        return cross_entropy(model.Logits(adv), y);
    }
}
