namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Fast Gradient Sign Method (Goodfellow, Shlens, Szegedy 2015), L∞:
/// x' = clip₀¹(x + ε · sign(∇ₓ L(f(x), y)))   (targeted: x − ε · sign(∇ₓ L(f(x), t))).
/// </summary>
public sealed record Fgsm : Attack
{
    public Fgsm(double eps) => Eps = Check.NonNegative(eps, "eps");

    public override string Name => "fgsm";
    public override Norm Norm => Norm.Linf;
    public override double Eps { get; }
    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>();

    public override Attack WithEps(double eps) => new Fgsm(eps);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var g = context.InputGradient(model, x, goal);
        return x + Eps * g.sign();
    }
}
