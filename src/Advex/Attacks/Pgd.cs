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
/// </summary>
public sealed record Pgd : Attack
{
    public Pgd(double eps, Norm norm = Norm.Linf, int steps = 40, double? stepSize = null, bool randomStart = true,
        int restarts = 1)
    {
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

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["step_size"] = StepSize, ["random_start"] = RandomStart, ["restarts"] = Restarts,
    };

    public override Attack WithEps(double eps) => new Pgd(eps, Norm, Steps, ExplicitStepSize, RandomStart, Restarts);

    /// <summary>Twice the steps with the same α (at ε = 0 the derived α is 0, which is no step size to keep).</summary>
    public override Attack WithMoreSteps() =>
        new Pgd(Eps, Norm, Steps * 2, StepSize > 0 ? StepSize : ExplicitStepSize, RandomStart, Restarts);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, Generator? rng) =>
        Restarts == 1 ? Once(model, x, goal, rng) : BestOfRestarts.Run(model, x, goal, Restarts, () => Once(model, x, goal, rng));

    private Tensor Once(Classifier model, Tensor x0, AttackGoal goal, Generator? rng) =>
        Iterate(model, x0, goal, Eps, Norm, Steps, StepSize,
            RandomStart && Eps > 0 ? LpBall.RandomStart(x0, Eps, Norm, model.Lower, model.Upper, rng) : x0.clone());

    /// <summary>The projected-gradient loop shared by PGD and BIM; takes ownership of <paramref name="start"/>.</summary>
    internal static Tensor Iterate(Classifier model, Tensor x0, AttackGoal goal, double eps, Norm norm, int steps,
        double stepSize, Tensor start)
    {
        var x = start;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var g = Gradients.CrossEntropy(model, x, goal);
            var next = LpBall.Project(x + stepSize * LpBall.SteepestDirection(g, norm), x0, eps, norm)
                .clamp(model.Lower, model.Upper);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        return x;
    }
}
