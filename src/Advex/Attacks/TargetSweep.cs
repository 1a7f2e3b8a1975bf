namespace Advex.Attacks;

using Advex.Attacks.Core;
using Advex.Models;
using Advex.Validation;
using static TorchSharp.torch;

/// <summary>
/// AutoAttack's targeted stages (Croce &amp; Hein 2020): an attack run once per target class t_k, k = 2 … K + 1, the
/// class ranked k-th by the clean logits, each time only on the samples no earlier target has broken, with the goal
/// <see cref="UntargetedToward"/>(labels, t_k): the attack aims at t_k, any misclassification counts. APGD-T is
/// APGD with the targeted DLR loss (<c>apgd-t</c>), FAB-T is FAB with one boundary (<c>fab-t</c>); K = 9 (fewer when
/// the model has fewer classes). A <see cref="Targeted"/> or <see cref="UntargetedToward"/> goal already names its
/// target: the inner attack runs once, toward it. Per sample the first success is returned, else the input. Models
/// with fewer than <see cref="MinClasses"/> classes are returned unchanged (APGD-T's DLR needs 4). With
/// <see cref="TargetRanking.Malt"/> the targets are instead MALT's nearest linearised boundaries
/// (<see cref="MaltTargets"/>, one gradient evaluation per candidate class), nearest first.
/// </summary>
public sealed record TargetSweep : Attack
{
    public TargetSweep(string name, Attack inner, int targetClasses = 9, int minClasses = 2,
        TargetRanking ranking = TargetRanking.Top)
    {
        Name = name;
        Ranking = ranking;
        Inner = inner;
        TargetClasses = Check.AtLeast(targetClasses, 1, "target classes");
        MinClasses = Check.AtLeast(minClasses, 2, "min classes");
    }

    public override string Name { get; }
    public Attack Inner { get; }
    public int TargetClasses { get; }
    public int MinClasses { get; }
    public TargetRanking Ranking { get; }
    public override Norm Norm => Inner.Norm;
    public override double Eps => Inner.Eps;
    public override bool IsRandomized => Inner.IsRandomized;
    public override bool SupportsL1 => Inner.SupportsL1;

    public override IReadOnlyDictionary<string, object> Params =>
        new Dictionary<string, object>(Inner.Params) { ["target_classes"] = TargetClasses, ["targets"] = Ranking.Name() };

    public override Attack WithEps(double eps) => new TargetSweep(Name, Inner.WithEps(eps), TargetClasses, MinClasses, Ranking);

    /// <summary>APGD-T: APGD on the targeted DLR loss with per-sample early stop, 9 targets.</summary>
    public static TargetSweep ApgdT(double eps, Norm norm = Norm.Linf, int steps = 100, int restarts = 1,
        int targetClasses = 9, TargetRanking ranking = TargetRanking.Top) =>
        new("apgd-t", new Apgd(eps, norm, ApgdLoss.Dlr, steps, restarts, earlyStop: true), targetClasses, minClasses: 4,
            ranking);

    /// <summary>FAB-T: FAB on one boundary per target with per-sample early stop, 9 targets.</summary>
    public static TargetSweep FabT(double eps, Norm norm = Norm.Linf, int steps = 100, int targetClasses = 9,
        TargetRanking ranking = TargetRanking.Top) =>
        new("fab-t", new Fab(eps, norm, steps, earlyStop: true), targetClasses, ranking: ranking);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        if (model.Classes < MinClasses) return x.clone();
        if (goal is Targeted or UntargetedToward) return Inner.Run(model, x, goal, context).Adversarial;
        using var outer = NewDisposeScope();
        Tensor ranked;
        using (no_grad()) ranked = model.Logits(x).argsort(1, descending: true);
        var adv = x.clone();
        var robust = goal.Succeeded(ranked[.., 0]).logical_not();
        var count = Math.Min(TargetClasses, model.Classes - 1);
        if (Ranking == TargetRanking.Malt)
        {
            // the k-th target sits in column k, as in AutoAttack's ranking (column 0: the prediction, unused here)
            var attacked = robust.nonzero().squeeze(1);
            var malt = MaltTargets.Rank(model, x.index_select(0, attacked), goal.Classes.index_select(0, attacked), count,
                Norm, context.Select(attacked));
            ranked = ranked.narrow(1, 0, 1 + count).index_copy(0, attacked, cat([ranked.index_select(0, attacked).narrow(1, 0, 1), malt], 1));
        }
        for (var k = 1; k <= count; k++)
        {
            using var scope = NewDisposeScope();
            var index = robust.nonzero().squeeze(1);
            if (index.numel() == 0) break;
            var toward = new UntargetedToward(goal.Classes.index_select(0, index), ranked[.., k].index_select(0, index));
            var result = Inner.Run(model, x.index_select(0, index), toward, context.Stream($"target {k}").Select(index));
            var broken = index.masked_select(result.Success);
            Iterates.Replace(ref adv, adv.index_copy(0, broken, result.Adversarial.index_select(0, result.Success.nonzero().squeeze(1))));
            Iterates.Replace(ref robust, robust.index_fill(0, broken, false));
        }
        return adv.MoveToOuterDisposeScope();
    }
}
