namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>The torch.optim optimizer that drives <see cref="OptimizerAttack"/>.</summary>
public enum OptimizerKind
{
    Sgd,
    RmsProp,
    Adam,
}

public static class OptimizerKinds
{
    public static string Name(this OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => "sgd",
        OptimizerKind.RmsProp => "rmsprop",
        _ => "adam",
    };

    public static OptimizerKind Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "rmsprop" => OptimizerKind.RmsProp,
        "adam" => OptimizerKind.Adam,
        _ => throw new AdvexException($"optimizer must be sgd, rmsprop or adam (got '{s}')"),
    };
}

/// <summary>
/// What <see cref="OptimizerAttack.Trace"/> records. Index k of <see cref="Loss"/> and
/// <see cref="TargetProbability"/> is the state after k optimizer steps (index 0 is the clean input), so both have
/// Steps + 1 entries. <see cref="FirstSuccessIteration"/>[i] is the first such k at which sample i meets the goal
/// (−1 if never); <see cref="Success"/> and <see cref="L2"/> describe the returned (final) inputs.
/// </summary>
public sealed record OptimizerTrace(
    double[] Loss,
    double[] TargetProbability,
    int[] FirstSuccessIteration,
    bool[] Success,
    double[] L2)
{
    /// <summary>Fraction of samples whose returned input meets the goal.</summary>
    public double SuccessRate => Success.Length == 0 ? 0 : (double)Success.Count(s => s) / Success.Length;

    /// <summary>Median of <see cref="FirstSuccessIteration"/> over the samples that ever met the goal; null if none did.</summary>
    public double? MedianIterations
    {
        get
        {
            var reached = FirstSuccessIteration.Where(k => k >= 0).Order().ToArray();
            if (reached.Length == 0) return null;
            var mid = reached.Length / 2;
            return reached.Length % 2 == 1 ? reached[mid] : (reached[mid - 1] + reached[mid]) / 2.0;
        }
    }

    /// <summary>Mean L2 norm of the returned perturbations.</summary>
    public double MeanL2 => L2.Length == 0 ? 0 : L2.Average();

    /// <summary>The trace of all the samples of consecutive batches: per-iteration means weighted by batch size, the
    /// per-sample arrays concatenated (the attack treats every sample on its own, so this equals one big batch).</summary>
    public static OptimizerTrace Concat(IReadOnlyList<OptimizerTrace> parts)
    {
        if (parts.Count == 1) return parts[0];
        var n = parts.Sum(p => p.Success.Length);
        double[] Mean(Func<OptimizerTrace, double[]> curve) => Enumerable.Range(0, curve(parts[0]).Length)
            .Select(k => parts.Sum(p => curve(p)[k] * p.Success.Length) / n).ToArray();
        return new OptimizerTrace(Mean(p => p.Loss), Mean(p => p.TargetProbability),
            [.. parts.SelectMany(p => p.FirstSuccessIteration)], [.. parts.SelectMany(p => p.Success)], [.. parts.SelectMany(p => p.L2)]);
    }
}

/// <summary>
/// Optimizer-driven targeted attack (seed 003): the perturbation δ is a parameter of a torch.optim optimizer
/// (SGD, RMSprop or Adam, default settings apart from the learning rate), minimising
/// <code>
/// J(δ) = Σᵢ CE(f(xᵢ + δᵢ), tᵢ)          (targeted goal)
/// J(δ) = −Σᵢ CE(f(xᵢ + δᵢ), yᵢ)         (untargeted goal: maximise the label's cross-entropy)
/// </code>
/// from δ = 0. After every step δ is made feasible again: δ ← Π_ε(clip_[lo,hi](x + δ)) − x, with Π_ε the
/// projection onto the ε-ball of <see cref="Norm"/>; ε = +∞ means unbounded (box only), and the attack then counts
/// as a minimisation attack (no ball). The gradient ∇_δ J = ∇ₓ′J at x′ = x + δ comes from torch.autograd.grad and
/// is handed to the optimizer as δ's gradient. Summing over samples keeps each sample's update independent of the
/// batch. Returns x + δ after <see cref="Steps"/> steps. Defaults: Adam, lr 0.01, 100 steps, unbounded.
/// </summary>
public sealed record OptimizerAttack : Attack
{
    public OptimizerAttack(double eps = double.PositiveInfinity, OptimizerKind optimizer = OptimizerKind.Adam,
        double lr = 0.01, int steps = 100, Norm norm = Norm.Linf)
    {
        Eps = Check.NonNegativeOrInfinity(eps, "eps");
        Optimizer = optimizer;
        Lr = Check.Positive(lr, "lr");
        Steps = Check.AtLeast(steps, 1, "steps");
        Norm = norm;
    }

    public override string Name => "optim";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public OptimizerKind Optimizer { get; }
    public double Lr { get; }
    public int Steps { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["optimizer"] = Optimizer.Name(), ["lr"] = Lr, ["steps"] = Steps,
    };

    public override Attack WithEps(double eps) => new OptimizerAttack(eps, Optimizer, Lr, Steps, Norm);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context) =>
        Optimize(model, x, goal, null, context);

    /// <summary>
    /// Runs the attack and records, per iteration, the mean objective (mean CE toward the target; for untargeted
    /// goals the mean of −CE of the label), the mean probability of the goal's class (the target; for untargeted
    /// goals the label's), and per sample the first iteration at which the goal is met. The model runs in eval mode.
    /// </summary>
    public OptimizerTrace Trace(Classifier model, Tensor x, AttackGoal goal)
    {
        model.CheckInput(x);
        if (goal.Classes.shape.Length != 1 || goal.Classes.shape[0] != x.shape[0])
            throw new AdvexException($"goal has {goal.Classes.shape[0]} classes for {x.shape[0]} inputs");
        using var scope = NewDisposeScope();
        using var eval = model.EvalMode();
        var n = (int)x.shape[0];
        var loss = new double[Steps + 1];
        var probability = new double[Steps + 1];
        var first = Enumerable.Repeat(-1, n).ToArray();
        var success = new bool[n];
        void Record(int k, Tensor logits)
        {
            using var s = NewDisposeScope();
            using var _ = no_grad();
            loss[k] = Objective(logits, goal).mean().item<float>();
            probability[k] = logits.softmax(1).gather(1, goal.Classes.unsqueeze(1)).mean().item<float>();
            success = goal.Succeeded(logits.argmax(1)).data<bool>().ToArray();
            for (var i = 0; i < n; i++)
                if (first[i] < 0 && success[i]) first[i] = k;
        }
        var adv = Optimize(model, x.detach(), goal, Record);
        double[] l2;
        using (no_grad()) l2 = LpBall.L2Norms(adv - x).to_type(ScalarType.Float64).data<double>().ToArray();
        return new OptimizerTrace(loss, probability, first, success, l2);
    }

    /// <summary>Per-sample objective to minimise: CE(target), or −CE(label) for untargeted goals.</summary>
    private static Tensor Objective(Tensor logits, AttackGoal goal)
    {
        var ce = Losses.CrossEntropyPerSample(logits, goal.Classes);
        return goal.IsTargeted ? ce : ce.neg();
    }

    private Tensor Optimize(Classifier model, Tensor x, AttackGoal goal, Action<int, Tensor>? record,
        AttackContext? context = null)
    {
        using var delta = new Parameter(zeros_like(x), requires_grad: true);
        using var optimizer = DeltaOptimizer.Create(Optimizer, delta, Lr);
        for (var k = 0; k < Steps; k++)
        {
            Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
            using var scope = NewDisposeScope();
            Tensor current;
            using (no_grad()) current = x + delta;
            var (g, logits) = Gradients.Of(model, current, z => Objective(z, goal).sum());
            context?.CountGradients();
            record?.Invoke(k, logits);
            delta.grad = g;
            optimizer.step();
            using (no_grad())
            {
                var feasible = Feasible(x + delta, x, model);
                delta.copy_(feasible - x);
            }
        }
        using var _ = no_grad();
        var adv = x + delta;
        if (record is not null)
        {
            using var logits = model.Logits(adv);
            record(Steps, logits);
        }
        return adv;
    }

    private Tensor Feasible(Tensor candidate, Tensor x0, Classifier model)
    {
        using var scope = NewDisposeScope();
        var projected = IsBounded ? LpBall.Project(candidate, x0, Eps, Norm) : candidate;
        return projected.clamp(model.Lower, model.Upper).MoveToOuterDisposeScope();
    }
}
