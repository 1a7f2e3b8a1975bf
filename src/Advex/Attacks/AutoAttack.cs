namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// An AutoAttack-style cascade (Croce &amp; Hein 2020) of the two parameter-free white-box attacks, L∞ or L2:
/// <list type="number">
/// <item>APGD-CE, untargeted, on every sample the model still classifies correctly;</item>
/// <item>APGD-T: targeted DLR, −(z_y − z_t)/(z_{π1} − ½(z_{π3} + z_{π4}) + 1e-12), once per target t among the
/// 9 classes ranked 2nd…10th by the clean logits (fewer when the model has fewer classes), each run only on the
/// samples still robust after the previous runs.</item>
/// </list>
/// A per-sample "still robust" mask drives the cascade, so each sample keeps the first adversarial found for it
/// (success counts as misclassification, whichever target produced it). Samples never broken keep APGD-CE's
/// highest-loss point; samples misclassified before the attack are returned unchanged. FAB-T and Square of the
/// standard AutoAttack are not included. With a <see cref="Targeted"/> goal the cascade is APGD-CE toward the
/// target (−CE) then APGD-T toward the same target, success meaning prediction = target. APGD-T needs at least 4
/// classes and is skipped below that. Each APGD run uses <see cref="Steps"/> iterations and <see cref="Restarts"/>.
/// </summary>
public sealed record AutoAttack : Attack
{
    public AutoAttack(double eps, Norm norm = Norm.Linf, int steps = 100, int restarts = 1, int targetClasses = 9)
    {
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Steps = Check.AtLeast(steps, 1, "steps");
        Restarts = Check.AtLeast(restarts, 1, "restarts");
        TargetClasses = Check.AtLeast(targetClasses, 1, "target classes");
    }

    public override string Name => "autoattack";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public int Steps { get; }
    public int Restarts { get; }
    public int TargetClasses { get; }
    public override bool IsRandomized => true;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["attacks"] = "apgd-ce,apgd-t", ["steps"] = Steps, ["restarts"] = Restarts, ["target_classes"] = TargetClasses,
    };

    public override Attack WithEps(double eps) => new AutoAttack(eps, Norm, Steps, Restarts, TargetClasses);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var outer = NewDisposeScope();
        var ce = new Apgd(Eps, Norm, ApgdLoss.CrossEntropy, Steps, Restarts, earlyStop: true);
        var dlr = new Apgd(Eps, Norm, ApgdLoss.Dlr, Steps, Restarts, earlyStop: true);
        Tensor clean;
        using (no_grad()) clean = model.Logits(x);
        var predicted = clean.argmax(1);
        var labels = goal.IsTargeted ? predicted : goal.Classes;
        var goalTargets = goal.IsTargeted ? goal.Classes : null;

        var adv = x.clone();
        var robust = goal.Succeeded(predicted).logical_not();

        // Runs one attack on the still-robust samples (false when none is left); keepAll writes back every result,
        // otherwise only the successes.
        bool Stage(Apgd attack, string stage, Func<Tensor?> targetsOf, bool keepAll)
        {
            using var scope = NewDisposeScope();
            var index = robust.nonzero().squeeze(1);
            if (index.numel() == 0) return false;
            var xs = x.index_select(0, index);
            var ys = labels.index_select(0, index);
            var ts = targetsOf()?.index_select(0, index);
            var result = attack.Search(model, xs, ys, ts, context.Stream(stage).Select(index));
            var success = goal.Select(index).Succeeded(model.Predict(result));
            var write = keepAll ? index : index.masked_select(success);
            var rows = keepAll ? result : result.index_select(0, success.nonzero().squeeze(1));
            var nextAdv = adv.index_copy(0, write, rows);
            var nextRobust = robust.index_fill(0, index.masked_select(success), false);
            adv.Dispose();
            robust.Dispose();
            adv = nextAdv.MoveToOuterDisposeScope();
            robust = nextRobust.MoveToOuterDisposeScope();
            return true;
        }

        Stage(ce, "apgd-ce", () => goalTargets, keepAll: true);
        if (model.Classes >= 4)
        {
            if (goalTargets is not null)
            {
                Stage(dlr, "apgd-t", () => goalTargets, keepAll: false);
            }
            else
            {
                var ranked = clean.argsort(1, descending: true);
                var count = Math.Min(TargetClasses, model.Classes - 1);
                for (var k = 1; k <= count; k++)
                {
                    var column = k;
                    if (!Stage(dlr, $"apgd-t {column}", () => ranked[.., column].contiguous(), keepAll: false)) break;
                }
            }
        }
        return adv.MoveToOuterDisposeScope();
    }
}
