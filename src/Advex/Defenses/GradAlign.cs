namespace Advex.Defenses;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>
/// GradAlign (Andriushchenko and Flammarion 2020, "Understanding and Improving Fast Adversarial Training"): the
/// regulariser 1 − E[cos(∇ₓCE(f(x), y), ∇ₓCE(f(x + η), y))], η ~ U(−ε, ε) (x + η clipped to the box), which keeps the
/// loss locally linear inside the ε-ball so that one FGSM step stays a good approximation of the inner maximum.
/// The clean gradient is a constant; the gradient at x + η keeps its graph (double backpropagation), so the
/// regulariser trains the parameters.
/// </summary>
public static class GradAlign
{
    /// <summary>1 − mean per-sample cosine of the two input gradients, with the graph to the model's parameters.</summary>
    public static Tensor Penalty(Classifier model, Tensor x, Tensor y, double eps, Generator? rng = null)
    {
        using var scope = NewDisposeScope();
        var clean = Gradients.CrossEntropy(model, x, new Untargeted(y));
        using var noisy = LpBall.RandomStart(x, eps, Norm.Linf, model.Lower, model.Upper, rng);
        var atNoise = Gradients.CrossEntropyWithGraph(model, noisy, new Untargeted(y));
        var cos = cosine_similarity(clean.flatten(1), atNoise.flatten(1), dim: 1, eps: 1e-12);
        return (1 - cos.mean()).MoveToOuterDisposeScope();
    }
}
