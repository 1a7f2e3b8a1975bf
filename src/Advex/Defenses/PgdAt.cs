namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// PGD adversarial training (Madry et al. 2018), L∞: x' from a uniform random start in the ε-ball and K steps
/// x ← clip₀¹(Π_ε(x + α·sign(∇ₓ CE))); the training loss is CE(f(x'), y).
/// The inner attack runs with the model in eval mode (<see cref="TrainingAttack"/>); the mode is restored before the
/// loss.
/// </summary>
public static class PgdAt
{
    /// <summary>The registry entry (<see cref="TrainingMethodRegistry"/>).</summary>
    public static TrainingMethod Method { get; } = new("pgd",
        "K steps of PGD from a random start, Madry et al. 2018", SingleStep: false, "2.5·ε/K", (eps, k) => 2.5 * eps / k,
        b => Loss(b.Model, b.X, b.Y, b.Options.Eps, b.Options.Alpha, b.Options.Steps, b.Rng));

    /// <summary>The adversarial batch x' (no graph).</summary>
    public static Tensor Perturb(Classifier model, Tensor x, Tensor y, double eps, double alpha, int steps,
        Generator? rng = null) =>
        TrainingAttack.InEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            var start = LpBall.RandomStart(x, eps, Norm.Linf, model.Lower, model.Upper, rng);
            return Pgd.Iterate(model, x, new Untargeted(y), eps, Norm.Linf, steps, alpha, start).MoveToOuterDisposeScope();
        });

    /// <summary>Mean CE on the PGD batch, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, double eps, double alpha, int steps,
        Generator? rng = null)
    {
        using var adv = Perturb(model, x, y, eps, alpha, steps, rng);
        return cross_entropy(model.Logits(adv), y);
    }
}
