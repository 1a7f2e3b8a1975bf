namespace Advex.Cli;

using System.CommandLine;
using Advex.Attacks;

/// <summary>The attack options of DESIGN §8, with fixed names; each attack reads those that apply.</summary>
public sealed class AttackOptions
{
    public Option<string?> Norm { get; } = new("--norm") { Description = "linf, l2, l1 (fab, fmn) or l0 (fmn); default linf, l2 for fmn and hsj" };
    public Option<int?> Steps { get; } = new("--steps") { Description = "iterations" };
    public Option<double?> StepSize { get; } = new("--step-size") { Description = "step size α" };
    public Option<bool?> RandomStart { get; } = new("--random-start") { Description = "start at a random point of the ε-ball (true|false)" };
    public Option<int?> Restarts { get; } = new("--restarts") { Description = "random restarts (best per sample kept)" };
    public Option<double?> Momentum { get; } = new("--momentum") { Description = "momentum μ (MI-FGSM)" };
    public Option<double?> C { get; } = new("--c") { Description = "initial trade-off constant c (C&W)" };
    public Option<double?> Kappa { get; } = new("--kappa") { Description = "confidence κ (C&W)" };
    public Option<int?> BinarySearchSteps { get; } = new("--binary-search-steps") { Description = "binary search steps over c (C&W)" };
    public Option<double?> Lr { get; } = new("--lr") { Description = "learning rate (C&W, optimizer attack)" };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, rmsprop or adam (optimizer attack)" };
    public Option<double?> Overshoot { get; } = new("--overshoot") { Description = "overshoot (DeepFool)" };
    public Option<string?> Generator { get; } = new("--generator") { Description = "AdvGAN generator file or folder" };
    public Option<int?> Queries { get; } = new("--queries") { Description = "query budget per sample (Square, default 5000; HopSkipJump, default 1000)" };
    public Option<string?> Perturbation { get; } = new("--perturbation") { Description = "a saved universal perturbation (.npy, from attack --universal) for --attack universal" };
    public Option<double?> Beta { get; } = new("--beta") { Description = "L1 weight β of the elastic net (EAD, default 0.001); attack --universal sgd: the clip of each image's cross-entropy (default 9)" };
    public Option<int?> Eot { get; } = new("--eot") { Description = "average each gradient over N draws of a randomized model (EoT; gradient attacks)" };
    public Option<string?> Targets { get; } = new("--targets") { Description = "how APGD-T and FAB-T pick their 9 targets: top (AutoAttack's highest logits; default of the standard version) or malt (nearest linearised boundaries, Melamed et al. 2024; default of the fast version)" };
    public Option<string?> Version { get; } = new("--version") { Description = $"AutoAttack version: {string.Join(", ", AutoAttackVersions.Names)} (default standard; fast = APGD-CE then APGD-T on MALT targets, the remaining standard stages where a gradient-masking check fires; rand = APGD-CE, APGD-DLR with EoT 20)" };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[]
                 {
                     Norm, Steps, StepSize, RandomStart, Restarts, Momentum, C, Kappa, BinarySearchSteps, Lr, Optimizer,
                     Overshoot, Generator, Queries, Perturbation, Beta, Eot, Targets, Version,
                 })
            cmd.Options.Add(o);
    }

    public AttackSettings Read(ParseResult p) => new()
    {
        Norm = p.GetValue(Norm) is { } norm ? NormNames.Parse(norm) : null,
        Steps = p.GetValue(Steps),
        StepSize = p.GetValue(StepSize),
        RandomStart = p.GetValue(RandomStart),
        Restarts = p.GetValue(Restarts),
        Momentum = p.GetValue(Momentum),
        C = p.GetValue(C),
        Kappa = p.GetValue(Kappa),
        BinarySearchSteps = p.GetValue(BinarySearchSteps),
        Lr = p.GetValue(Lr),
        Optimizer = p.GetValue(Optimizer),
        Overshoot = p.GetValue(Overshoot),
        Generator = p.GetValue(Generator),
        Queries = p.GetValue(Queries),
        Perturbation = p.GetValue(Perturbation),
        Beta = p.GetValue(Beta),
        Eot = p.GetValue(Eot),
        Targets = p.GetValue(Targets) is { } t ? Attacks.Core.TargetRankingNames.Parse(t) : null,
        Version = p.GetValue(Version) is { } v ? AutoAttackVersions.Parse(v) : null,
    };
}
