namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Momentum Iterative FGSM (Dong et al. 2018, "Boosting Adversarial Attacks with Momentum"), L∞:
/// <code>
///   g⁰ = 0,  x⁰ = x
///   gᵗ⁺¹ = μ · gᵗ + ∇ₓL(f(xᵗ), y) / ‖∇ₓL(f(xᵗ), y)‖₁        (L1 norm per sample)
///   xᵗ⁺¹ = clip₀¹( Π_ε( xᵗ + α · sign(gᵗ⁺¹) ) )
/// </code>
/// Targeted goals ascend −L(f(x), t). Defaults (the paper's): 10 steps, α = ε / steps, μ = 1.
/// Inputs [N, ...] in the model's bounds; output of the same shape.
/// </summary>
public sealed record MiFgsm : Attack
{
    private const double Tiny = 1e-12;

    public MiFgsm(double eps, int steps = 10, double? stepSize = null, double momentum = 1.0)
    {
        Eps = Check.NonNegative(eps, "eps");
        Steps = Check.AtLeast(steps, 1, "steps");
        StepSize = stepSize is { } a ? Check.Positive(a, "step-size") : eps / steps;
        ExplicitStepSize = stepSize;
        Momentum = Check.NonNegative(momentum, "momentum");
    }

    public override string Name => "mifgsm";
    public override Norm Norm => Norm.Linf;
    public override double Eps { get; }
    public int Steps { get; }
    public double StepSize { get; }
    public double Momentum { get; }
    private double? ExplicitStepSize { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["step_size"] = StepSize, ["momentum"] = Momentum,
    };

    public override Attack WithEps(double eps) => new MiFgsm(eps, Steps, ExplicitStepSize, Momentum);

    public override Attack WithMoreSteps() => new MiFgsm(Eps, Steps * 2, ExplicitStepSize, Momentum);

    protected override Tensor Perturb(Classifier model, Tensor x0, AttackGoal goal, Generator? rng)
    {
        var x = x0.clone();
        var g = zeros_like(x0);
        for (var t = 0; t < Steps; t++)
        {
            using var scope = NewDisposeScope();
            var grad = Gradients.CrossEntropy(model, x, goal);
            var gNext = Momentum * g + grad / LpBall.Broadcast(LpBall.L1Norms(grad).clamp_min(Tiny), grad);
            var xNext = LpBall.Project(x + StepSize * gNext.sign(), x0, Eps, Norm.Linf).clamp(model.Lower, model.Upper);
            Iterates.Replace(ref g, gNext);
            Iterates.Replace(ref x, xNext);
        }
        g.Dispose();
        return x;
    }
}
