namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Fast Gradient Method in L2 (Goodfellow et al. 2015; Miyato et al. 2017), per sample:
/// x' = clip₀¹(x + ε · g / ‖g‖₂),  g = ∇ₓ L(f(x), y).
/// </summary>
public sealed record Fgm : Attack
{
    public Fgm(double eps) => Eps = Check.NonNegative(eps, "eps");

    public override string Name => "fgm";
    public override Norm Norm => Norm.L2;
    public override double Eps { get; }
    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>();

    public override Attack WithEps(double eps) => new Fgm(eps);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var g = context.InputGradient(model, x, goal);
        return (x + Eps * LpBall.SteepestDirection(g, Norm.L2)).MoveToOuterDisposeScope();
    }
}
