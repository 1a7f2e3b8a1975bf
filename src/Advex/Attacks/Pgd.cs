namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Projected Gradient Descent (Madry et al. 2018), L∞ or L2.
/// Start: x⁰ = x, or a uniform random point of the ε-ball (random start).
/// Step:  xᵗ⁺¹ = clip₀¹( Π_{B(x,ε)}( xᵗ + α · s(∇ₓL(f(xᵗ), y)) ) ), with s = sign (L∞) or g/‖g‖₂ (L2).
/// Restarts run the whole loop again from new random starts and keep, per sample, a successful result if any
/// (else the one with the highest loss). Defaults: 40 steps, α = 2.5·ε/steps, random start on, 1 restart.
/// With early stop (cascades, <c>--early-stop</c>) a sample stops at its first adversarial iterate.
/// </summary>
public sealed record Pgd : Attack
{
    public Pgd(double eps, Norm norm = Norm.Linf, int steps = 40, double? stepSize = null, bool randomStart = true,
        int restarts = 1, bool earlyStop = false)
    {
        EarlyStop = earlyStop;
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Steps = Check.AtLeast(steps, 1, "steps");
        StepSize = stepSize is { } a ? Check.Positive(a, "step-size") : 2.5 * eps / steps;
        ExplicitStepSize = stepSize;
        RandomStart = randomStart;
        Restarts = Check.AtLeast(restarts, 1, "restarts");
    }

    public override string Name => "pgd";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public int Steps { get; }
    public double StepSize { get; }
    public bool RandomStart { get; }
    public int Restarts { get; }
    private double? ExplicitStepSize { get; }
    public override bool IsRandomized => RandomStart;
    public override bool EarlyStop { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["step_size"] = StepSize, ["random_start"] = RandomStart, ["restarts"] = Restarts,
    };

    public override Attack WithEps(double eps) => new Pgd(eps, Norm, Steps, ExplicitStepSize, RandomStart, Restarts, EarlyStop);

    /// <summary>Twice the steps with the same α (at ε = 0 the derived α is 0, which is no step size to keep).</summary>
    public override Attack WithMoreSteps() =>
        new Pgd(Eps, Norm, Steps * 2, StepSize > 0 ? StepSize : ExplicitStepSize, RandomStart, Restarts, EarlyStop);

    public override Attack WithEarlyStop() => new Pgd(Eps, Norm, Steps, ExplicitStepSize, RandomStart, Restarts, true);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        Restarts == 1 ? Once(model, x, goal, context) : BestOfRestarts.Run(model, x, goal, Restarts, context, (m, xs, g, _, c) => Once(m, xs, g, c));

    private Tensor Once(Classifier model, Tensor x0, AttackGoal goal, AttackContext context) =>
        Iterate(model, x0, goal, Eps, Norm, Steps, StepSize,
            RandomStart && Eps > 0 ? LpBall.RandomStart(x0, Eps, Norm, model.Lower, model.Upper, context) : x0.clone(),
            context, EarlyStop);

    /// <summary>The projected-gradient loop shared by PGD and BIM; takes ownership of <paramref name="start"/>.
    /// With <paramref name="earlyStop"/>, a row whose iterate is adversarial stops there and leaves the batch.</summary>
    internal static Tensor Iterate(Classifier model, Tensor x0, AttackGoal goal, double eps, Norm norm, int steps,
        double stepSize, Tensor start, AttackContext? context = null, bool earlyStop = false)
    {
        var x = start;
        if (!earlyStop)
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                var g = Gradients.CrossEntropy(model, x, goal);
                context?.CountGradients();
                var next = LpBall.Project(x + stepSize * LpBall.SteepestDirection(g, norm), x0, eps, norm)
                    .clamp(model.Lower, model.Upper);
                Iterates.Replace(ref x, next);
            }
            return x;
        }
        var active = arange(x0.shape[0], dtype: ScalarType.Int64);
        for (var i = 0; i < steps && active.numel() > 0; i++)
        {
            using var scope = NewDisposeScope();
            var xs = x.index_select(0, active);
            var goalS = goal.Select(active);
            var (g, logits) = Gradients.Of(model, xs, l => Losses.CrossEntropy(l, goalS));
            context?.Select(active).CountGradients();
            var k = goalS.Succeeded(logits.argmax(1)).logical_not().nonzero().squeeze(1); // rows not yet adversarial
            var rows = active.index_select(0, k);
            var next = LpBall.Project(xs.index_select(0, k) + stepSize * LpBall.SteepestDirection(g.index_select(0, k), norm),
                x0.index_select(0, rows), eps, norm).clamp(model.Lower, model.Upper);
            Iterates.Replace(ref x, x.index_copy(0, rows, next));
            Iterates.Replace(ref active, rows);
        }
        active.Dispose();
        return x;
    }
}
