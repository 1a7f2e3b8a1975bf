namespace Advex.Attacks;

using System.Globalization;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// An attack holds validated options only; the model, inputs and goal are arguments of <see cref="Run"/>.
/// <see cref="Run"/> is the single path every attack goes through (Foolbox's contract): inputs checked against the
/// model's shape and bounds, model in eval mode (restored afterwards), the attack's own <see cref="Perturb"/>, then
/// the result projected onto the ε-ball (bounded attacks) and clipped to the box, and success recomputed from the
/// model's real prediction on what is returned.
/// </summary>
public abstract record Attack
{
    /// <summary>The command-line name, e.g. <c>pgd</c>.</summary>
    public abstract string Name { get; }

    public abstract Norm Norm { get; }

    /// <summary>The budget; +∞ for minimisation attacks (C&amp;W, DeepFool), which return unprojected results.</summary>
    public virtual double Eps => double.PositiveInfinity;

    public bool IsBounded => !double.IsPositiveInfinity(Eps);

    /// <summary>True when the attack draws random numbers (random start, random restarts).</summary>
    public virtual bool IsRandomized => false;

    /// <summary>Hyper-parameters as reported in results (JSON <c>params</c>).</summary>
    public abstract IReadOnlyDictionary<string, object> Params { get; }

    /// <summary>True when the attack works in L1 (<see cref="Norm.L1"/>); the others refuse it in <see cref="Run"/>.</summary>
    public virtual bool SupportsL1 => false;

    /// <summary>The attack itself: returns candidate adversarial inputs for x (may leave the ball; Run projects).</summary>
    protected abstract Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, Generator? rng);

    /// <summary><see cref="Perturb"/> plus, for cascades of attacks (AutoAttack), which stage broke each sample.</summary>
    protected virtual (Tensor Candidate, CascadeTrace? Trace) PerturbWithTrace(Classifier model, Tensor x,
        AttackGoal goal, Generator? rng) => (Perturb(model, x, goal, rng), null);

    /// <summary>The same attack with another ε (bounded attacks); used by ε sweeps.</summary>
    public virtual Attack WithEps(double eps) =>
        throw new NotSupportedException($"{Name} has no ε budget");

    /// <summary>The same attack with twice the iterations, for the "more steps do not help" sanity check; null for
    /// single-step and minimisation attacks.</summary>
    public virtual Attack? WithMoreSteps() => null;

    /// <summary>
    /// Refuses a budget larger than the model's box allows: an L∞ ε above its width (upper − lower) or an L2 ε above
    /// its diagonal (width·√d) could never bind, so it is a typo (a decimal comma: "0,3" is the list 0 and 3).
    /// </summary>
    public void CheckBudget(Classifier model)
    {
        if (Norm == Norm.L1 && !SupportsL1) throw new AdvexException($"{Name} supports the norms linf and l2, not l1");
        if (!IsBounded) return;
        var width = model.Upper - model.Lower;
        var d = model.InputShape.Aggregate(1L, (a, b) => a * b);
        var limit = Norm switch { Norm.Linf => width, Norm.L2 => width * Math.Sqrt(d), _ => width * d };
        if (Eps > limit + 1e-9)
            throw new AdvexException(
                $"eps {Eps.ToString(CultureInfo.InvariantCulture)} of {Name} is above " +
                $"{limit.ToString("0.####", CultureInfo.InvariantCulture)}, the largest {Norm.Name()} distance between " +
                $"inputs in the model's box [{model.Lower}, {model.Upper}] (decimals use '.', and ',' separates values)");
    }

    public AttackResult Run(Classifier model, Tensor x, AttackGoal goal, Generator? rng = null)
    {
        CheckBudget(model);
        model.CheckInput(x);
        if (goal.Classes.shape.Length != 1 || goal.Classes.shape[0] != x.shape[0])
            throw new AdvexException($"goal has {goal.Classes.shape[0]} classes for {x.shape[0]} inputs");
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var x0 = x.detach();
        Tensor adv;
        CascadeTrace? trace;
        using (no_grad())
        {
            var (perturbed, t) = PerturbWithTrace(model, x0, goal, rng);
            trace = t;
            var candidate = perturbed.detach();
            candidate = where(candidate.isfinite(), candidate, x0); // a NaN never leaves an attack
            if (IsBounded) candidate = LpBall.Project(candidate, x0, Eps, Norm);
            adv = candidate.clamp(model.Lower, model.Upper);
        }
        var predictions = model.Predict(adv);
        var success = goal.Succeeded(predictions);
        using var _ = no_grad();
        var delta = adv - x0;
        var result = new AttackResult(adv, predictions, success, LpBall.LinfNorms(delta), LpBall.L2Norms(delta))
        {
            Cascade = trace,
        };
        result.Adversarial.MoveToOuterDisposeScope();
        result.Predictions.MoveToOuterDisposeScope();
        result.Success.MoveToOuterDisposeScope();
        result.Linf.MoveToOuterDisposeScope();
        result.L2.MoveToOuterDisposeScope();
        return result;
    }
}
