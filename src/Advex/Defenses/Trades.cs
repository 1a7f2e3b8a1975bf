namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// TRADES (Zhang et al. 2019), L∞: x' starts at x + 0.001·N(0, 1) and takes K steps
/// x' ← clip₀¹(Π_ε(x' + α·sign(∇ KL(f(x) ‖ f(x'))))) with the model in eval mode (<see cref="TrainingAttack"/>, as in
/// the authors' code);
/// the training loss is CE(f(x), y) + β · KL(f(x) ‖ f(x')) / N (β = 6 by default; β = 0 is plain training).
/// </summary>
public static class Trades
{
    /// <summary>The registry entry (<see cref="TrainingMethodRegistry"/>).</summary>
    public static TrainingMethod Method { get; } = new("trades",
        "CE plus β·KL to a K-step attack on the KL, Zhang et al. 2019", SingleStep: false, "ε/4", (eps, _) => eps / 4,
        b => Loss(b.Model, b.X, b.Y, b.Options.Eps, b.Options.Alpha, b.Options.Steps, b.Options.Beta, b.Rng));

    /// <summary>The adversarial batch x' (no graph).</summary>
    public static Tensor Perturb(Classifier model, Tensor x, double eps, double alpha, int steps, Generator? rng = null) =>
        TrainingAttack.InEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            Tensor logP;
            using (no_grad()) logP = log_softmax(model.Logits(x), 1);
            var adv = (x + 0.001 * randn(x.shape, generator: rng)).clamp(model.Lower, model.Upper);
            for (var i = 0; i < steps; i++)
            {
                using var step = NewDisposeScope();
                var (g, _) = Gradients.Of(model, adv, z => KlSum(logP, z));
                var next = LpBall.Project(adv + alpha * g.sign(), x, eps, Norm.Linf).clamp(model.Lower, model.Upper);
                Iterates.Replace(ref adv, next);
            }
            return adv.MoveToOuterDisposeScope();
        });

    /// <summary>Σ over the batch of KL(p ‖ softmax(logitsQ)), p given by its log-probabilities.</summary>
    public static Tensor KlSum(Tensor logP, Tensor logitsQ)
    {
        using var scope = NewDisposeScope();
        return (logP.exp() * (logP - log_softmax(logitsQ, 1))).sum().MoveToOuterDisposeScope();
    }

    /// <summary>CE(f(x), y) + β·KL(f(x) ‖ f(x'))/N, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, double eps, double alpha, int steps, double beta,
        Generator? rng = null)
    {
        using var scope = NewDisposeScope();
        var adv = Perturb(model, x, eps, alpha, steps, rng);
        var logits = model.Logits(x);
        var ce = cross_entropy(logits, y);
        var kl = KlSum(log_softmax(logits, 1), model.Logits(adv)) / x.shape[0];
        return (ce + beta * kl).MoveToOuterDisposeScope();
    }
}
