namespace Advex.Attacks;

using static TorchSharp.torch;

/// <summary>
/// What an attack tries to achieve for each sample: leave its true class (<see cref="Untargeted"/>) or reach a
/// chosen class (<see cref="Targeted"/>). The class tensor [N] (int64) is owned by the caller.
/// </summary>
public abstract record AttackGoal(Tensor Classes)
{
    public abstract bool IsTargeted { get; }

    /// <summary>Per-sample success [N] (bool) given the model's predictions.</summary>
    public abstract Tensor Succeeded(Tensor predictions);

    /// <summary>The same kind of goal for a subset of the samples (rows <paramref name="index"/>).</summary>
    public abstract AttackGoal Select(Tensor index);
}

/// <summary>Succeed when the prediction differs from <paramref name="Labels"/>; attacks ascend the loss.</summary>
public sealed record Untargeted(Tensor Labels) : AttackGoal(Labels)
{
    public override bool IsTargeted => false;
    public override Tensor Succeeded(Tensor predictions) => predictions.ne(Labels);
    public override AttackGoal Select(Tensor index) => new Untargeted(Labels.index_select(0, index));
}

/// <summary>Succeed when the prediction equals <paramref name="Targets"/>; attacks descend the loss toward it.</summary>
public sealed record Targeted(Tensor Targets) : AttackGoal(Targets)
{
    public override bool IsTargeted => true;
    public override Tensor Succeeded(Tensor predictions) => predictions.eq(Targets);
    public override AttackGoal Select(Tensor index) => new Targeted(Targets.index_select(0, index));
}

/// <summary>
/// Succeed when the prediction differs from <paramref name="Labels"/> (as <see cref="Untargeted"/>), with a class to
/// aim at on the way: attacks that take a target (APGD-T, FAB-T) descend toward <paramref name="Toward"/>, any
/// other class still counts (AutoAttack's targeted stages). Attacks without a notion of target treat it as
/// <see cref="Untargeted"/>.
/// </summary>
public sealed record UntargetedToward(Tensor Labels, Tensor Toward) : AttackGoal(Labels)
{
    public override bool IsTargeted => false;
    public override Tensor Succeeded(Tensor predictions) => predictions.ne(Labels);
    public override AttackGoal Select(Tensor index) =>
        new UntargetedToward(Labels.index_select(0, index), Toward.index_select(0, index));
}
