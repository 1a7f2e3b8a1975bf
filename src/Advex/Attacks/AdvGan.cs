namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// AdvGAN (Xiao et al. 2018) as an attack: one forward pass of a trained generator, x' = clip₀¹(x + clamp(G(x), −ε_G,
/// ε_G)), with ε_G the generator's training budget; <c>Attack.Run</c> then projects onto the requested L∞ ball
/// ε (a smaller ε clips δ further). Deterministic, no gradients of the target model.
/// Targeted goals: a generator is trained for one fixed target class (<c>advgan train --target-class t</c>); it serves
/// untargeted goals and targeted goals whose every target is t, and refuses any other goal. An untargeted generator
/// refuses targeted goals.
/// </summary>
public sealed record AdvGan : Attack
{
    private readonly double eps;

    public AdvGan(double eps, AdvGanGenerator generator, double generatorEps, int? targetClass = null, string? source = null)
    {
        this.eps = Check.NonNegative(eps, "eps");
        Generator = generator;
        GeneratorEps = Check.Positive(generatorEps, "generator eps");
        TargetClass = targetClass;
        Source = source;
    }

    /// <summary>Loads the generator from a file or an <c>advgan train</c> folder.</summary>
    public static AdvGan Load(string path, double eps)
    {
        var (generator, manifest) = AdvGanStore.Load(path);
        return new AdvGan(eps, generator, manifest.Eps, manifest.TargetClass, path);
    }

    public AdvGanGenerator Generator { get; }
    public double GeneratorEps { get; }
    public int? TargetClass { get; }
    public string? Source { get; }

    public override string Name => "advgan";
    public override Norm Norm => Norm.Linf;

    /// <summary>The trained generator alone makes the perturbation: the target model is only queried.</summary>
    public override bool NeedsGradients => false;
    public override double Eps => eps;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["generator"] = Source ?? "(in memory)",
        ["generator_eps"] = GeneratorEps,
        ["target_class"] = TargetClass is { } t ? t : "none (untargeted)",
    };

    public override Attack WithEps(double e) => new AdvGan(e, Generator, GeneratorEps, TargetClass, Source);

    /// <summary>x + clamp(G(x), −ε, ε), clipped to [lo, hi]: the perturbation used in training and attack alike.</summary>
    public static Tensor Apply(AdvGanGenerator generator, Tensor x, double eps, double lo, double hi)
    {
        using var scope = NewDisposeScope();
        var delta = generator.call(x).clamp(-eps, eps);
        return (x + delta).clamp(lo, hi).MoveToOuterDisposeScope();
    }

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        CheckGoal(goal);
        Generator.eval();
        return Apply(Generator, x, GeneratorEps, model.Lower, model.Upper);
    }

    private void CheckGoal(AttackGoal goal)
    {
        if (!goal.IsTargeted) return;
        if (TargetClass is not { } t)
            throw new AdvexException("this AdvGAN generator is untargeted; a targeted attack needs a generator trained for its target class");
        using var wrong = goal.Classes.ne(t).any();
        if (wrong.item<bool>())
            throw new AdvexException($"this AdvGAN generator was trained for target class {t} only; attack toward class {t}, or use a generator per target");
    }
}
