namespace Advex.Attacks;

using System.Globalization;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// An attack holds validated options only; the model, inputs and goal are arguments of <c>Run</c>.
/// <c>Run</c> is the single path every attack goes through (Foolbox's contract): inputs checked against the
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

    /// <summary>True when the attack draws random numbers (random start, random restarts, random queries); an
    /// evaluation then checks that repeating it on a subset of rows reproduces every row (the
    /// <c>randomized_attacks_reproducible</c> sanity check).</summary>
    public virtual bool IsRandomized => false;

    /// <summary>True when an iterative attack stops per sample at its first adversarial iterate.</summary>
    public virtual bool EarlyStop => false;

    /// <summary>The same attack stopping per sample at the first adversarial iterate (iterative attacks; the others
    /// are returned unchanged). Cascades use it; <c>--early-stop</c> turns it on outside one.</summary>
    public virtual Attack WithEarlyStop() => this;

    /// <summary>True when the attack reads the model's input gradients (every attack unless it says otherwise);
    /// false for score-based black-box attacks such as Square, which also run on forward-only backends.</summary>
    public virtual bool NeedsGradients => true;

    /// <summary>Refuses a forward-only model (<see cref="Classifier.HasGradients"/> false, e.g. the onnxruntime
    /// backend) for an attack that needs its gradients, before any work is done.</summary>
    public void CheckModel(Classifier model)
    {
        if (Eot > 1 && !SupportsEot)
            throw AdvexException.About($"eot applies to attacks whose gradients are averaged over draws, not to {Name}", "eot");
        if (NeedsGradients && !model.HasGradients)
            throw new AdvexException(
                $"attack {Name} needs input gradients, and the {model.Backend.Name()} backend running {model.DisplayName} " +
                "gives none: use the torch backend, or a gradient-free attack (square, hsj)");
    }

    /// <summary>Hyper-parameters as reported in results (JSON <c>params</c>).</summary>
    public abstract IReadOnlyDictionary<string, object> Params { get; }

    private readonly int eot = 1;

    /// <summary>Expectation over transformation for randomized models (<see cref="Expectation"/>): every input
    /// gradient is the mean over this many draws of the model's randomness; 1 (the default) is a plain gradient.</summary>
    public int Eot
    {
        get => eot;
        init => eot = Validation.Check.AtLeast(value, 1, "eot");
    }

    /// <summary>True when every gradient the attack takes goes through <see cref="Gradients"/>, so that
    /// <see cref="Eot"/> applies (false for gradient-free attacks and for C&amp;W's own optimiser).</summary>
    public virtual bool SupportsEot => NeedsGradients;

    /// <summary>This attack with <paramref name="source"/>'s <see cref="Eot"/> (the <c>With…</c> variants build a new
    /// attack from its options, which do not include it).</summary>
    public Attack WithEotOf(Attack source) => Eot == source.Eot ? this : this with { Eot = source.Eot };

    /// <summary><see cref="Params"/> plus <c>eot</c> when it is above 1, as recorded in run.json and the JSON.</summary>
    public IReadOnlyDictionary<string, object> ReportedParams =>
        Eot == 1 ? Params : new Dictionary<string, object>(Params) { ["eot"] = Eot };

    /// <summary>True when the attack works in L1 (<see cref="Norm.L1"/>); the others refuse it in <c>Run</c>.</summary>
    public virtual bool SupportsL1 => false;

    /// <summary>True when the attack works in L0 (<see cref="Norm.L0"/>, FMN); the others refuse it in <c>Run</c>.</summary>
    public virtual bool SupportsL0 => false;

    /// <summary>The attack itself: returns candidate adversarial inputs for x (may leave the ball; Run projects).</summary>
    /// <param name="context">the rows' dataset indices (keying every random number drawn for them) and work
    /// counters</param>
    protected abstract Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context);

    /// <summary><see cref="Perturb"/> plus, for cascades of attacks (AutoAttack), which stage broke each sample.</summary>
    protected virtual (Tensor Candidate, CascadeTrace? Trace) PerturbWithTrace(Classifier model, Tensor x,
        AttackGoal goal, AttackContext context) => (Perturb(model, x, goal, context), null);

    /// <summary>The attack as it runs over a whole evaluation, given the evaluation's spot-check samples (inputs,
    /// goal and context keyed by their dataset indices): an attack with a run-level decision (AutoAttack's fast
    /// version and its Square spot check) makes it here, once, so that no record depends on its batch; the others
    /// return themselves.</summary>
    public virtual Attack ForRun(Classifier model, Tensor x, AttackGoal goal, AttackContext context) => this;

    /// <summary>True when <see cref="ForRun"/> does work (an evaluation then builds its spot-check samples).</summary>
    public virtual bool ChecksRun => false;

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
        if (Norm == Norm.L0 && !SupportsL0)
            throw new AdvexException($"{Name} supports the norms linf{(SupportsL1 ? ", l2 and l1" : " and l2")}, not l0");
        if (!IsBounded) return;
        var width = model.Upper - model.Lower;
        var d = model.InputShape.Aggregate(1L, (a, b) => a * b);
        var limit = Norm switch { Norm.Linf => width, Norm.L2 => width * Math.Sqrt(d), Norm.L1 => width * d, _ => d };
        if (Eps > limit + 1e-9)
            throw new AdvexException(
                $"eps {Eps.ToString(CultureInfo.InvariantCulture)} of {Name} is above " +
                $"{limit.ToString("0.####", CultureInfo.InvariantCulture)}, the largest {Norm.Name()} distance between " +
                $"inputs in the model's box [{model.Lower}, {model.Upper}] (decimals use '.', and ',' separates values)");
    }

    /// <summary>Runs on a batch on its own: rows 0 … n−1 with the generator's initial seed (seed 0 without one).</summary>
    public AttackResult Run(Classifier model, Tensor x, AttackGoal goal, Generator? rng = null)
    {
        using var context = AttackContext.Sequential((int)x.shape[0], rng is null ? 0 : unchecked((long)rng.initial_seed()));
        return Run(model, x, goal, context);
    }

    /// <summary>Runs on the rows of <paramref name="context"/> (its stream is derived from <see cref="Name"/>).</summary>
    public AttackResult Run(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        if (context.Rows != x.shape[0]) throw new AdvexException($"context has {context.Rows} rows for {x.shape[0]} inputs");
        CheckModel(model);
        CheckBudget(model);
        model.CheckInput(x);
        if (goal.Classes.shape.Length != 1 || goal.Classes.shape[0] != x.shape[0])
            throw new AdvexException($"goal has {goal.Classes.shape[0]} classes for {x.shape[0]} inputs");
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var x0 = x.detach();
        Tensor adv;
        CascadeTrace? trace;
        using var expectation = Expectation.Over(Eot, unchecked((long)CounterRng.Key(context.Seed, CounterRng.Hash("eot:" + Name),
            (ulong)context.Indices.FirstOrDefault())));
        using (no_grad())
        {
            var (perturbed, t) = PerturbWithTrace(model, x0, goal, context.Stream(Name));
            trace = t;
            var candidate = perturbed.detach();
            candidate = Finite.Or(candidate, x0); // a NaN never leaves an attack
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
            L1 = LpBall.L1Norms(delta).MoveToOuterDisposeScope(),
            L0 = LpBall.L0Norms(delta).MoveToOuterDisposeScope(),
        };
        result.Adversarial.MoveToOuterDisposeScope();
        result.Predictions.MoveToOuterDisposeScope();
        result.Success.MoveToOuterDisposeScope();
        result.Linf.MoveToOuterDisposeScope();
        result.L2.MoveToOuterDisposeScope();
        return result;
    }
}
