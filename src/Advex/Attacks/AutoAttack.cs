namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>Which attacks an <see cref="AutoAttack"/> runs.</summary>
public enum AutoAttackVersion
{
    /// <summary>Croce &amp; Hein's standard version: APGD-CE, APGD-T, FAB-T, Square (<c>autoattack</c>).</summary>
    Standard,

    /// <summary>The two APGD stages only, APGD-CE then APGD-T (<c>autoattack-apgd</c>; Advex's
    /// <c>autoattack</c> before the standard version).</summary>
    Apgd,

    /// <summary>For randomized defenses (<c>autoattack --version rand</c>): APGD-CE then APGD-DLR, untargeted, each
    /// gradient averaged over 20 draws of the model (EoT, <see cref="Attack.Eot"/>), as the original's
    /// <c>version='rand'</c>.</summary>
    Rand,
}

/// <summary>
/// AutoAttack (Croce &amp; Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of diverse
/// parameter-free attacks"), L∞ or L2, as a <see cref="Cascade"/> over a per-sample still-robust mask. The standard
/// version's stages (<see cref="Standard"/>):
/// <list type="number">
/// <item>APGD-CE, untargeted, <see cref="Steps"/> iterations (100);</item>
/// <item>APGD-T: targeted DLR −(z_y − z_t)/(z_{π1} − ½(z_{π3} + z_{π4}) + 1e-12) toward each of the 9 classes
/// ranked 2nd…10th by the clean logits, 100 iterations each (<see cref="TargetSweep"/>; skipped below 4
/// classes);</item>
/// <item>FAB-T: FAB (<see cref="Fab"/>) toward the same 9 targets, 100 iterations each;</item>
/// <item>Square, <see cref="Queries"/> queries (5,000), score-based black box, in the cascade's norm.</item>
/// </list>
/// Each stage attacks only the samples still robust after the previous ones; inside each stage a sample leaves the
/// batch at its first adversarial iterate (any adversarial point counts). Success for the untargeted evaluation is
/// any misclassification, whichever stage or target produced it. With a <see cref="Targeted"/> goal every stage
/// runs toward that target and success means prediction = target. The result's <see cref="CascadeTrace"/> says which
/// stage broke each sample and what each stage cost, so robust accuracy after each stage can be reported.
/// </summary>
public sealed record AutoAttack : Attack
{
    public AutoAttack(double eps, Norm norm = Norm.Linf, int steps = 100, int restarts = 1, int targetClasses = 9,
        int queries = 5000, AutoAttackVersion version = AutoAttackVersion.Standard)
    {
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Steps = Check.AtLeast(steps, 1, "steps");
        Restarts = Check.AtLeast(restarts, 1, "restarts");
        TargetClasses = Check.AtLeast(targetClasses, 1, "target classes");
        Queries = Check.AtLeast(queries, 1, "queries");
        Version = version;
        if (version == AutoAttackVersion.Rand) Eot = RandDraws;
    }

    /// <summary>The draws each gradient of the rand version averages over (the original's <c>eot_iter</c>).</summary>
    public const int RandDraws = 20;

    public override string Name => Version == AutoAttackVersion.Apgd ? "autoattack-apgd" : "autoattack";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public int Steps { get; }
    public int Restarts { get; }
    public int TargetClasses { get; }
    public int Queries { get; }
    public AutoAttackVersion Version { get; }
    public override bool IsRandomized => true;

    /// <summary>The ordered stages this attack runs.</summary>
    public IReadOnlyList<Attack> Stages => Version switch
    {
        AutoAttackVersion.Standard => Standard(Norm, Eps, Steps, Restarts, TargetClasses, Queries),
        AutoAttackVersion.Rand => RandStages(Norm, Eps, Steps, Restarts),
        _ => ApgdStages(Norm, Eps, Steps, Restarts, TargetClasses),
    };

    public override IReadOnlyDictionary<string, object> Params
    {
        get
        {
            var p = new Dictionary<string, object>
            {
                ["version"] = Version.ToString().ToLowerInvariant(),
                ["attacks"] = string.Join(",", Stages.Select(s => s.Name)), ["steps"] = Steps, ["restarts"] = Restarts,
                ["target_classes"] = TargetClasses,
            };
            if (Version == AutoAttackVersion.Standard) p["queries"] = Queries;
            return p;
        }
    }

    public override Attack WithEps(double eps) => new AutoAttack(eps, Norm, Steps, Restarts, TargetClasses, Queries, Version);

    /// <summary>Standard AutoAttack's stages in order: APGD-CE, APGD-T, FAB-T, Square, each with per-sample early
    /// stop.</summary>
    public static IReadOnlyList<Attack> Standard(Norm norm, double eps, int steps = 100, int restarts = 1,
        int targetClasses = 9, int queries = 5000)
    {
        return
        [
            .. ApgdStages(norm, eps, steps, restarts, targetClasses),
            TargetSweep.FabT(eps, norm, steps, targetClasses),
            new Square(eps, queries, norm: norm),
        ];
    }

    /// <summary>APGD-CE then APGD-T (the <see cref="AutoAttackVersion.Apgd"/> version).</summary>
    public static IReadOnlyList<Attack> ApgdStages(Norm norm, double eps, int steps = 100, int restarts = 1,
        int targetClasses = 9) =>
    [
        new Apgd(eps, norm, ApgdLoss.CrossEntropy, steps, restarts, earlyStop: true),
        TargetSweep.ApgdT(eps, norm, steps, restarts, targetClasses),
    ];

    /// <summary>APGD-CE then APGD-DLR, untargeted (the <see cref="AutoAttackVersion.Rand"/> version; its EoT comes
    /// from the AutoAttack's own <see cref="Attack.Eot"/>, which every stage's gradients inherit).</summary>
    public static IReadOnlyList<Attack> RandStages(Norm norm, double eps, int steps = 100, int restarts = 1) =>
    [
        new Apgd(eps, norm, ApgdLoss.CrossEntropy, steps, restarts, earlyStop: true),
        new Apgd(eps, norm, ApgdLoss.Dlr, steps, restarts, earlyStop: true),
    ];

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        PerturbWithTrace(model, x, goal, context).Candidate;

    protected override (Tensor Candidate, CascadeTrace? Trace) PerturbWithTrace(Classifier model, Tensor x,
        AttackGoal goal, AttackContext context) => Cascade.Run(Stages, model, x, goal, context);
}
