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

    public MiFgsm(double eps, int steps = 10, double? stepSize = null, double momentum = 1.0, bool earlyStop = false)
    {
        EarlyStop = earlyStop;
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
    public override bool EarlyStop { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["step_size"] = StepSize, ["momentum"] = Momentum,
    };

    public override Attack WithEps(double eps) => new MiFgsm(eps, Steps, ExplicitStepSize, Momentum, EarlyStop);

    public override Attack WithMoreSteps() => new MiFgsm(Eps, Steps * 2, ExplicitStepSize, Momentum, EarlyStop);

    public override Attack WithEarlyStop() => new MiFgsm(Eps, Steps, ExplicitStepSize, Momentum, true);

    protected override Tensor Perturb(Classifier model, Tensor x0, AttackGoal goal, AttackContext context)
    {
        var x = x0.clone();
        var g = zeros_like(x0);
        var active = arange(x0.shape[0], dtype: ScalarType.Int64); // with early stop, the rows not yet adversarial
        for (var t = 0; t < Steps && active.numel() > 0; t++)
        {
            using var scope = NewDisposeScope();
            var xs = x.index_select(0, active);
            var goalS = goal.Select(active);
            var (grad, logits) = Gradients.Of(model, xs, l => Losses.CrossEntropy(l, goalS));
            context.Select(active).CountGradients();
            var k = EarlyStop ? goalS.Succeeded(logits.argmax(1)).logical_not().nonzero().squeeze(1)
                : arange(active.shape[0], dtype: ScalarType.Int64);
            var rows = active.index_select(0, k);
            grad = grad.index_select(0, k);
            var gNext = Momentum * g.index_select(0, rows) + grad / LpBall.Broadcast(LpBall.L1Norms(grad).clamp_min(Tiny), grad);
            var xNext = LpBall.Project(xs.index_select(0, k) + StepSize * gNext.sign(), x0.index_select(0, rows), Eps, Norm.Linf)
                .clamp(model.Lower, model.Upper);
            Iterates.Replace(ref g, g.index_copy(0, rows, gNext));
            Iterates.Replace(ref x, x.index_copy(0, rows, xNext));
            Iterates.Replace(ref active, rows);
        }
        active.Dispose();
        g.Dispose();
        return x;
    }
}
