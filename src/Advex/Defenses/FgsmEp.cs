namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// FGSM with an epoch-wise prior start (FGSM-EP, Jia et al. 2022, "Prior-Guided Adversarial Initialization for Fast
/// Adversarial Training"; the accumulation idea is Zheng et al.'s 2020 ATTA), L∞: each sample's attack starts from
/// the perturbation it ended with in the previous epoch instead of a fresh random point,
/// δ₀ = δ_prev (U(−ε, ε) the first time), δ = clip_{[−ε,ε]}(δ₀ + α·sign(∇_δ CE(f(x + δ₀), y))), x' = clip₀¹(x + δ),
/// and δ = x' − x is remembered for the next epoch. The cost per batch is FGSM-RS's (one gradient), but across
/// epochs the perturbations keep climbing the loss, so the training adversary stays strong as the model gets robust.
/// The attack runs in eval mode (<see cref="TrainingAttack"/>), the training loss CE(f(x'), y) in the caller's mode.
/// </summary>
public static class FgsmEp
{
    /// <summary>The registry entry (<see cref="TrainingMethodRegistry"/>); it keeps per-sample state.</summary>
    public static TrainingMethod Method { get; } = new("fgsm-ep",
        "FGSM-RS starting from each sample's perturbation of the previous epoch, Jia et al. 2022", SingleStep: true,
        "1.25·ε", (eps, _) => 1.25 * eps,
        b => Loss(b.Model, b.X, b.Y, b.Batch.Indices, b.Memory, b.Options.Eps, b.Options.Alpha, b.Rng))
    {
        PerSampleState = true,
    };

    /// <summary>The adversarial batch x' (no graph); the batch's perturbations in <paramref name="memory"/> are
    /// read as the start and replaced by the new ones.</summary>
    public static Tensor Perturb(Classifier model, Tensor x, Tensor y, long[] indices, PerturbationMemory memory,
        double eps, double alpha, Generator? rng = null) =>
        TrainingAttack.InEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            var random = LpBall.RandomStart(x, eps, Norm.Linf, model.Lower, model.Upper, rng) - x;
            var start = (x + memory.Recall(indices, random)).clamp(model.Lower, model.Upper);
            var g = Gradients.CrossEntropy(model, start, new Untargeted(y));
            using var _ = no_grad();
            var adv = LpBall.Project(start + alpha * g.sign(), x, eps, Norm.Linf).clamp(model.Lower, model.Upper);
            memory.Store(indices, adv - x);
            return adv.MoveToOuterDisposeScope();
        });

    /// <summary>Mean CE on the FGSM-EP batch, with the graph to the model's parameters.</summary>
    public static Tensor Loss(Classifier model, Tensor x, Tensor y, long[] indices, PerturbationMemory memory,
        double eps, double alpha, Generator? rng = null)
    {
        using var adv = Perturb(model, x, y, indices, memory, eps, alpha, rng);
        return cross_entropy(model.Logits(adv), y);
    }
}
