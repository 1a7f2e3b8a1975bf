namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>Which attacks an <see cref="AutoAttack"/> runs (<see cref="AutoAttackVersions"/> names them).</summary>
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

    /// <summary>APGD-CE, then APGD-T on MALT targets, guarded: where a gradient-masking check fires the remaining
    /// standard stages run (<see cref="FastGuard"/>; <c>autoattack --version fast</c>). Validated against the standard
    /// version, never a replacement for it.</summary>
    Fast,
}

/// <summary>The names of <see cref="AutoAttackVersion"/>s (one table: add a version here and in the enum).</summary>
public static class AutoAttackVersions
{
    private static readonly Dictionary<string, AutoAttackVersion> ByName = new()
    {
        ["standard"] = AutoAttackVersion.Standard,
        ["apgd"] = AutoAttackVersion.Apgd,
        ["fast"] = AutoAttackVersion.Fast,
        ["rand"] = AutoAttackVersion.Rand,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(this AutoAttackVersion version) => ByName.First(p => p.Value == version).Key;

    public static AutoAttackVersion Parse(string s) =>
        ByName.TryGetValue(s.ToLowerInvariant(), out var v)
            ? v
            : throw AdvexException.About($"version must be one of {string.Join(", ", ByName.Keys)} (got '{s}')", "version");
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
/// <see cref="Targets"/> chooses the targeted stages' classes: AutoAttack's top-logit rule or MALT's nearest
/// linearised boundaries (Melamed et al. 2024; the fast version's default). The fast version
/// (<see cref="AutoAttackVersion.Fast"/>, <see cref="FastGuard"/>) runs APGD-CE and APGD-T, then FAB-T and Square only
/// on the samples a gradient-masking check sends there.
/// </summary>
public sealed record AutoAttack : Attack
{
    public AutoAttack(double eps, Norm norm = Norm.Linf, int steps = 100, int restarts = 1, int targetClasses = 9,
        int queries = 5000, AutoAttackVersion version = AutoAttackVersion.Standard, TargetRanking? targets = null)
    {
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Steps = Check.AtLeast(steps, 1, "steps");
        Restarts = Check.AtLeast(restarts, 1, "restarts");
        TargetClasses = Check.AtLeast(targetClasses, 1, "target classes");
        Queries = Check.AtLeast(queries, 1, "queries");
        Version = version;
        Targets = targets ?? (version == AutoAttackVersion.Fast ? TargetRanking.Malt : TargetRanking.Top);
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

    /// <summary>How APGD-T and FAB-T pick their targets (default: top for standard and apgd, MALT for fast).</summary>
    public TargetRanking Targets { get; }

    public override bool IsRandomized => true;

    /// <summary>The ordered stages this attack runs (the fast version runs the standard stages on its MALT targets,
    /// FAB-T and Square only on the samples <see cref="FastGuard"/> escalates).</summary>
    public IReadOnlyList<Attack> Stages => Version switch
    {
        AutoAttackVersion.Apgd => ApgdStages(Norm, Eps, Steps, Restarts, TargetClasses, Targets),
        AutoAttackVersion.Rand => RandStages(Norm, Eps, Steps, Restarts),
        _ => Standard(Norm, Eps, Steps, Restarts, TargetClasses, Queries, Targets),
    };

    /// <summary>The stage names as reported.</summary>
    public IReadOnlyList<string> StageNames => [.. Stages.Select(s => s.Name)];

    /// <summary>The fast version's run-level Square spot check, once an evaluation has made it
    /// (<see cref="ForRun"/>); null until then, and an attack run outside an evaluation checks the rows it is
    /// given.</summary>
    public SpotCheck? Spot { get; init; }

    /// <summary>The spot check's Square budget: <see cref="FastGuard.SpotQueries"/>, or the standard Square's when it is
    /// smaller.</summary>
    public int SpotQueries => Math.Min(Queries, FastGuard.SpotQueries);

    public override IReadOnlyDictionary<string, object> Params
    {
        get
        {
            var p = new Dictionary<string, object>
            {
                ["version"] = Version.Name(),
                ["attacks"] = string.Join(",", StageNames), ["steps"] = Steps, ["restarts"] = Restarts,
                ["target_classes"] = TargetClasses, ["targets"] = Targets.Name(),
            };
            if (Version is AutoAttackVersion.Standard or AutoAttackVersion.Fast) p["queries"] = Queries;
            if (Version == AutoAttackVersion.Fast)
            {
                p["spot_check_samples"] = FastGuard.SpotSamples;
                p["spot_check_queries"] = SpotQueries;
            }
            return p;
        }
    }

    public override Attack WithEps(double eps) =>
        new AutoAttack(eps, Norm, Steps, Restarts, TargetClasses, Queries, Version, Targets);

    /// <summary>Standard AutoAttack's stages in order: APGD-CE, APGD-T, FAB-T, Square, each with per-sample early
    /// stop.</summary>
    public static IReadOnlyList<Attack> Standard(Norm norm, double eps, int steps = 100, int restarts = 1,
        int targetClasses = 9, int queries = 5000, TargetRanking targets = TargetRanking.Top)
    {
        return
        [
            .. ApgdStages(norm, eps, steps, restarts, targetClasses, targets),
            TargetSweep.FabT(eps, norm, steps, targetClasses, targets),
            new Square(eps, queries, norm: norm),
        ];
    }

    /// <summary>APGD-CE then APGD-T (the <see cref="AutoAttackVersion.Apgd"/> version).</summary>
    public static IReadOnlyList<Attack> ApgdStages(Norm norm, double eps, int steps = 100, int restarts = 1,
        int targetClasses = 9, TargetRanking targets = TargetRanking.Top) =>
    [
        new Apgd(eps, norm, ApgdLoss.CrossEntropy, steps, restarts, earlyStop: true),
        TargetSweep.ApgdT(eps, norm, steps, restarts, targetClasses, targets),
    ];

    /// <summary>APGD-CE then APGD-DLR, untargeted (the <see cref="AutoAttackVersion.Rand"/> version; its EoT comes
    /// from the AutoAttack's own <see cref="Attack.Eot"/>, which every stage's gradients inherit).</summary>
    public static IReadOnlyList<Attack> RandStages(Norm norm, double eps, int steps = 100, int restarts = 1) =>
    [
        new Apgd(eps, norm, ApgdLoss.CrossEntropy, steps, restarts, earlyStop: true),
        new Apgd(eps, norm, ApgdLoss.Dlr, steps, restarts, earlyStop: true),
    ];

    /// <summary>The fast version makes its Square spot check on the evaluation's spot-check samples
    /// (<see cref="FastGuard.SpotRows"/>); the other versions have nothing to check.</summary>
    public override bool ChecksRun => Version == AutoAttackVersion.Fast;

    public override Attack ForRun(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        ChecksRun ? this with { Spot = SpotCheckOn(model, x, goal, context.Stream(Name)) } : this;

    /// <summary>The Square spot check on these rows; <paramref name="context"/> is already this attack's stream (as
    /// <see cref="Perturb"/> receives it), so its APGD-CE runs exactly as the evaluation's.</summary>
    private SpotCheck SpotCheckOn(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        FastGuard.Check(Stages[0], SpotQueries, model, x, goal, context);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        PerturbWithTrace(model, x, goal, context).Candidate;

    protected override (Tensor Candidate, CascadeTrace? Trace) PerturbWithTrace(Classifier model, Tensor x,
        AttackGoal goal, AttackContext context)
    {
        if (Version != AutoAttackVersion.Fast) return Cascade.Run(Stages, model, x, goal, context);
        var spot = Spot;
        if (spot is null)
        {
            using var rows = tensor(FastGuard.SpotRows(x.shape[0]));
            spot = SpotCheckOn(model, x.index_select(0, rows), goal.Select(rows), context.Select(rows));
        }
        return FastGuard.Run(Stages, spot, model, x, goal, context);
    }
}
