namespace Advex.Attacks;


/// <summary>
/// Every attack by its command-line name, built from an ε and <see cref="AttackSettings"/>. The registry drives the
/// CLI and the contract test suite, so an attack added here is tested like the others.
/// </summary>
public static class AttackRegistry
{
    private sealed record Entry(bool Bounded, Func<double, SettingsReader, Attack> Create);

    private static readonly Dictionary<string, Entry> Entries = new()
    {
        ["fgsm"] = new(true, (eps, _) => new Fgsm(eps)),
        ["fgm"] = new(true, (eps, _) => new Fgm(eps)),
        ["pgd"] = new(true, (eps, s) => new Pgd(eps, s.Norm ?? Norm.Linf, s.Steps ?? 40, s.StepSize, s.RandomStart ?? true,
            s.Restarts ?? 1)),
        ["bim"] = new(true, (eps, s) => new Bim(eps, s.Steps, s.StepSize)),
        ["mifgsm"] = new(true, (eps, s) => new MiFgsm(eps, s.Steps ?? 10, s.StepSize, s.Momentum ?? 1.0)),
        ["cw"] = new(false, (_, s) => new CarliniWagnerL2(s.Steps ?? 100, s.C ?? 1e-3, s.Kappa ?? 0, s.BinarySearchSteps ?? 9,
            s.Lr ?? 0.1)),
        ["deepfool"] = new(false, (_, s) => new DeepFool(s.Steps ?? 50, s.Overshoot ?? 0.02)),
        ["apgd-ce"] = new(true, (eps, s) => new Apgd(eps, s.Norm ?? Norm.Linf, ApgdLoss.CrossEntropy, s.Steps ?? 100,
            s.Restarts ?? 1)),
        ["apgd-dlr"] = new(true, (eps, s) => new Apgd(eps, s.Norm ?? Norm.Linf, ApgdLoss.Dlr, s.Steps ?? 100,
            s.Restarts ?? 1)),
        ["square"] = new(true, (eps, s) => new Square(eps, s.Queries ?? 5000, norm: s.Norm ?? Norm.Linf)),
        ["apgd-t"] = new(true, (eps, s) => TargetSweep.ApgdT(eps, s.Norm ?? Norm.Linf, s.Steps ?? 100, s.Restarts ?? 1,
            ranking: s.Targets ?? Core.TargetRanking.Top)),
        ["fab"] = new(true, (eps, s) => new Fab(eps, s.Norm ?? Norm.Linf, s.Steps ?? 100, s.Restarts ?? 1)),
        ["fab-t"] = new(true, (eps, s) => TargetSweep.FabT(eps, s.Norm ?? Norm.Linf, s.Steps ?? 100,
            ranking: s.Targets ?? Core.TargetRanking.Top)),
        ["autoattack"] = new(true, (eps, s) => new AutoAttack(eps, s.Norm ?? Norm.Linf, s.Steps ?? 100, s.Restarts ?? 1,
            queries: s.Queries ?? 5000, version: s.Version ?? AutoAttackVersion.Standard, targets: s.Targets)),
        ["autoattack-apgd"] = new(true, (eps, s) => new AutoAttack(eps, s.Norm ?? Norm.Linf, s.Steps ?? 100,
            s.Restarts ?? 1, version: AutoAttackVersion.Apgd, targets: s.Targets)),
        ["hsj"] = new(false, (_, s) => new HopSkipJump(s.Norm ?? Norm.L2, s.Queries ?? 1000, s.Steps ?? 64)),
        ["fmn"] = new(false, (_, s) => new Fmn(s.Norm ?? Norm.L2, s.Steps ?? 100, s.StepSize ?? 1.0)),
        ["ead"] = new(false, (_, s) => new Ead(s.Steps ?? 100, s.Lr ?? 0.01, s.C ?? 1e-3, s.BinarySearchSteps ?? 9,
            s.Beta ?? 1e-3, s.Kappa ?? 0)),
        // bounded when ε is finite; new OptimizerAttack(+∞, ...) is the unbounded (box-only) form
        ["optim"] = new(true, (eps, s) => new OptimizerAttack(eps, OptimizerKinds.Parse(s.Optimizer ?? "adam"),
            s.Lr ?? 0.01, s.Steps ?? 100, s.Norm ?? Norm.Linf)),
        // the attack is a trained generator, loaded from a file or an advgan train folder
        ["advgan"] = new(true, (eps, s) => AdvGan.Load(s.Generator ?? throw AdvexException.About(
            "advgan needs generator, a generator file or the folder an AdvGAN training wrote", "generator"), eps)),
        // a saved universal perturbation (attack --universal), added to every input
        ["universal"] = new(true, (eps, s) => Universal.UniversalAttack.Load(s.Perturbation ?? throw AdvexException.About(
            "universal needs perturbation, the .npy file attack --universal wrote", "perturbation"), eps, s.Norm ?? Norm.Linf)),
    };

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    public static bool Exists(string name) => Entries.ContainsKey(name);

    /// <summary>True when the attack has an ε budget (false for minimisation attacks such as C&amp;W).</summary>
    public static bool IsBounded(string name) => Get(name).Bounded;

    /// <summary>The attack <paramref name="name"/> at ε with the settings that apply to it (<c>eot</c> applies to
    /// every attack whose gradients go through the gradient helper; the others refuse it when run).</summary>
    public static Attack Create(string name, double eps, AttackSettings? settings = null) =>
        Create(name, eps, new SettingsReader(settings ?? new AttackSettings()));

    /// <summary>As <see cref="Create(string, double, AttackSettings?)"/>, through <paramref name="reader"/>, which then
    /// knows the settings this attack reads.</summary>
    public static Attack Create(string name, double eps, SettingsReader reader)
    {
        var eot = reader.Eot;
        var attack = Get(name).Create(eps, reader);
        return eot is { } draws ? attack with { Eot = draws } : attack;
    }

    private static Entry Get(string name) =>
        Entries.TryGetValue(name, out var e)
            ? e
            : throw new AdvexException($"unknown attack '{name}' (expected one of: {string.Join(", ", Entries.Keys)})");
}
