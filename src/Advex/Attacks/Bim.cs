namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Basic Iterative Method (Kurakin, Goodfellow, Bengio 2017), L∞: PGD without random start,
/// x⁰ = x, xᵗ⁺¹ = clip₀¹(Π_ε(xᵗ + α·sign(∇ₓL))). Paper defaults: α = 1/255, steps = min(ε·255 + 4, 1.25·ε·255).
/// </summary>
public sealed record Bim : Attack
{
    public Bim(double eps, int? steps = null, double? stepSize = null, bool earlyStop = false)
    {
        EarlyStop = earlyStop;
        Eps = Check.NonNegative(eps, "eps");
        StepSize = stepSize is { } a ? Check.Positive(a, "step-size") : 1.0 / 255;
        Steps = steps is { } k ? Check.AtLeast(k, 1, "steps") : Math.Max(1, (int)Math.Min(eps * 255 + 4, 1.25 * eps * 255));
        ExplicitSteps = steps;
        ExplicitStepSize = stepSize;
    }

    public override string Name => "bim";
    public override Norm Norm => Norm.Linf;
    public override double Eps { get; }
    public int Steps { get; }
    public double StepSize { get; }
    private int? ExplicitSteps { get; }
    public override bool EarlyStop { get; }
    private double? ExplicitStepSize { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["step_size"] = StepSize,
    };

    public override Attack WithEps(double eps) => new Bim(eps, ExplicitSteps, ExplicitStepSize, EarlyStop);

    public override Attack WithMoreSteps() => new Bim(Eps, Steps * 2, StepSize, EarlyStop);

    public override Attack WithEarlyStop() => new Bim(Eps, ExplicitSteps, ExplicitStepSize, true);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        Pgd.Iterate(model, x, goal, Eps, Norm.Linf, Steps, StepSize, x.clone(), context, EarlyStop);
}
