namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>The loss APGD ascends.</summary>
public enum ApgdLoss
{
    /// <summary>Cross-entropy of the label (targeted goals: −CE of the target).</summary>
    CrossEntropy,

    /// <summary>Difference of Logits Ratio; targeted goals use the targeted DLR (APGD-T).</summary>
    Dlr,
}

/// <summary>
/// Auto-PGD (Croce &amp; Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of diverse
/// parameter-free attacks"), L∞ or L2, on the cross-entropy (<c>apgd-ce</c>) or the DLR loss (<c>apgd-dlr</c>).
/// <para>
/// P is the projection onto S = B(x, ε) ∩ [lo, hi] (ball, then box), s(g) = sign(g) for L∞ and g/‖g‖₂ for L2, f the
/// per-sample loss. From a random point x⁽⁰⁾ of the ball, with step size η⁽⁰⁾ = 2ε (one per sample) and α = 0.75:
/// </para>
/// <code>
/// x⁽¹⁾   = P(x⁽⁰⁾ + η⁽⁰⁾ s(∇f(x⁽⁰⁾)))                                   (first step, no momentum)
/// z⁽ᵏ⁺¹⁾ = P(x⁽ᵏ⁾ + η⁽ᵏ⁾ s(∇f(x⁽ᵏ⁾)))
/// x⁽ᵏ⁺¹⁾ = P(x⁽ᵏ⁾ + α(z⁽ᵏ⁺¹⁾ − x⁽ᵏ⁾) + (1 − α)(x⁽ᵏ⁾ − x⁽ᵏ⁻¹⁾))
/// </code>
/// <para>
/// x_max / f_max track the per-sample highest-loss iterate. At the checkpoints w_j = ⌈p_j·N_iter⌉, with p₀ = 0,
/// p₁ = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06) (while p_j ≤ 1), a sample's step size is halved and
/// its iterate restarted from x_max when either
/// (1) Σ_{i=w_{j−1}}^{w_j−1} 1[f(x⁽ⁱ⁺¹⁾) &gt; f(x⁽ⁱ⁾)] &lt; ρ·(w_j − w_{j−1}), ρ = 0.75, or
/// (2) η was not reduced at w_{j−1} and f_max did not change since w_{j−1}.
/// </para>
/// <para>
/// Losses: CE, or DLR(z, y) = −(z_y − max_{i≠y} z_i)/(z_{π1} − z_{π3} + 1e-12). Targeted goals (APGD-T) ascend
/// −CE(z, t), or the targeted DLR −(z_y − z_t)/(z_{π1} − ½(z_{π3} + z_{π4}) + 1e-12) with y the model's clean
/// prediction (the goal carries only targets). Returned per sample: the latest iterate that met the goal, if any
/// did, else x_max. Defaults follow the paper: N_iter = 100, 1 restart; restarts keep the per-sample best
/// (<see cref="BestOfRestarts"/>). The loop stops early once every sample has met the goal.
/// </para>
/// </summary>
public sealed record Apgd : Attack
{
    /// <summary>Momentum weight α of the paper.</summary>
    public const double Alpha = 0.75;

    /// <summary>Fraction ρ of loss-increasing steps below which the step size is halved (condition 1).</summary>
    public const double Rho = 0.75;

    public Apgd(double eps, Norm norm = Norm.Linf, ApgdLoss loss = ApgdLoss.CrossEntropy, int steps = 100,
        int restarts = 1, bool earlyStop = false)
    {
        EarlyStop = earlyStop;
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Loss = loss;
        Steps = Check.AtLeast(steps, 1, "steps");
        Restarts = Check.AtLeast(restarts, 1, "restarts");
    }

    public override string Name => Loss == ApgdLoss.CrossEntropy ? "apgd-ce" : "apgd-dlr";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public ApgdLoss Loss { get; }
    public int Steps { get; }
    public int Restarts { get; }
    public override bool IsRandomized => true;
    public override bool EarlyStop { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["loss"] = Loss == ApgdLoss.CrossEntropy ? "ce" : "dlr", ["steps"] = Steps, ["restarts"] = Restarts,
        ["alpha"] = Alpha, ["rho"] = Rho, ["initial_step_size"] = 2 * Eps,
    };

    public override Attack WithEps(double eps) => new Apgd(eps, Norm, Loss, Steps, Restarts, EarlyStop);

    public override Attack WithEarlyStop() => new Apgd(Eps, Norm, Loss, Steps, Restarts, true);

    /// <summary>
    /// The checkpoints w₀ = 0 &lt; w₁ &lt; … ≤ N_iter, w_j = ⌈p_j·N_iter⌉ (computed with a 1e-9 tolerance so that
    /// 0.22·100 is 22, not 23); repeated values, which occur for small N_iter, are kept once.
    /// </summary>
    public static int[] Checkpoints(int steps)
    {
        Check.AtLeast(steps, 1, "steps");
        var w = new List<int> { 0 };
        double previous = 0, p = 0.22;
        while (p <= 1 + 1e-12)
        {
            var wj = (int)Math.Ceiling(p * steps - 1e-9);
            if (wj > w[^1] && wj <= steps) w.Add(wj);
            (previous, p) = (p, p + Math.Max(p - previous - 0.03, 0.06));
        }
        return [.. w];
    }

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var (labels, targets) = goal switch
        {
            UntargetedToward toward => (toward.Labels, toward.Toward), // APGD-T: the targeted loss, any misclassification
            Targeted targeted => (model.Predict(x), targeted.Targets),
            _ => (goal.Classes, (Tensor?)null),
        };
        var needed = Loss == ApgdLoss.Dlr ? (targets is null ? 3 : 4) : 2;
        if (model.Classes < needed)
            throw new AdvexException($"{Name}{(targets is null ? "" : " (targeted)")} needs at least {needed} classes (the model has {model.Classes})");
        var result = Restarts == 1
            ? Once(model, x, goal, labels, targets, context)
            : BestOfRestarts.Run(model, x, goal, Restarts, context, (m, xs, g, rows, c) =>
                Once(m, xs, g, labels.index_select(0, rows), targets?.index_select(0, rows), c));
        return result.MoveToOuterDisposeScope();
    }

    private Tensor PerSampleLoss(Tensor logits, Tensor labels, Tensor? targets) => (Loss, targets) switch
    {
        (ApgdLoss.CrossEntropy, null) => Losses.CrossEntropyPerSample(logits, labels),
        (ApgdLoss.CrossEntropy, { } t) => Losses.CrossEntropyPerSample(logits, t).neg(),
        (_, null) => Losses.Dlr(logits, labels),
        (_, { } t) => Losses.DlrTargeted(logits, labels, t),
    };

    /// <summary>One run of Algorithm 1 from a random start. With early stop, a sample keeps its first adversarial
    /// iterate and leaves the model's batch; the run stops once every sample is adversarial. Without it every sample
    /// runs all iterations (the result of a row never depends on the other rows of its batch).</summary>
    private Tensor Once(Classifier model, Tensor x0, AttackGoal goal, Tensor labels, Tensor? targets, AttackContext context)
    {
        var checkpoints = Checkpoints(Steps);
        var next = 1; // index of the next checkpoint in `checkpoints`

        // f, ∇f and goal success at a point, all per sample (on the rows idx of the batch when given).
        (Tensor Grad, Tensor Loss, Tensor Success) Evaluate(Tensor point, Tensor? idx = null)
        {
            var (y, t, aim) = idx is null
                ? (labels, targets, goal)
                : (labels.index_select(0, idx), targets?.index_select(0, idx), goal.Select(idx));
            var (g, logits) = Gradients.Of(model, point, z => PerSampleLoss(z, y, t).sum());
            using var _ = no_grad();
            return (g, PerSampleLoss(logits, y, t), aim.Succeeded(logits.argmax(1)));
        }

        // Early stop: only the rows that have not met the goal go through the model; the others keep their previous
        // gradient and loss and report no new success, so nothing of theirs changes.
        (Tensor Grad, Tensor Loss, Tensor Success) EvaluateActive(Tensor point, Tensor found, Tensor g, Tensor loss)
        {
            if (!EarlyStop || !found.any().item<bool>()) return Evaluate(point);
            var idx = found.logical_not().nonzero().squeeze(1);
            var (gs, ls, ss) = Evaluate(point.index_select(0, idx), idx);
            return (g.index_copy(0, idx, gs), loss.index_copy(0, idx, ls), zeros_like(found).index_copy(0, idx, ss));
        }

        Tensor ToS(Tensor point) => LpBall.Project(point, x0, Eps, Norm).clamp(model.Lower, model.Upper);

        var x = LpBall.RandomStart(x0, Eps, Norm, model.Lower, model.Upper, context);
        var (g, loss, found) = Evaluate(x);
        context.CountGradients();
        var xPrev = x.clone();
        var xMax = x.clone();
        var gMax = g.clone();
        var fMax = loss.clone();
        var adv = x.clone();
        var eta = full(x0.shape[0], 2 * Eps, dtype: x0.dtype);
        var increases = zeros(x0.shape[0], dtype: ScalarType.Int64);
        var fMaxAtLast = fMax.clone();
        var reducedAtLast = zeros(x0.shape[0], dtype: ScalarType.Bool);

        for (var k = 1; k <= Steps; k++)
        {
            using var scope = NewDisposeScope();
            if (EarlyStop && found.all().item<bool>()) break;
            Tensor nx, ng, nLoss, nFound, nAdv, nXMax, nGMax, nFMax, nEta, nIncreases, nFMaxAtLast, nReduced;
            using (no_grad())
            {
                var z = ToS(x + LpBall.Broadcast(eta, x) * LpBall.SteepestDirection(g, Norm));
                nx = k == 1 ? z : ToS(x + Alpha * (z - x) + (1 - Alpha) * (x - xPrev));
            }
            var (gk, lossK, successK) = EvaluateActive(nx, found, g, loss);
            using (no_grad())
            {
                if (EarlyStop) context.Select(found.logical_not().nonzero().squeeze(1)).CountGradients();
                else context.CountGradients();
                var write = EarlyStop ? successK & found.logical_not() : successK;
                nAdv = where(LpBall.Broadcast(write, x), nx, adv);
                nFound = found | successK;
                nIncreases = increases + lossK.gt(loss).to_type(ScalarType.Int64);
                var better = lossK.gt(fMax);
                nXMax = where(LpBall.Broadcast(better, x), nx, xMax);
                nGMax = where(LpBall.Broadcast(better, x), gk, gMax);
                nFMax = where(better, lossK, fMax);
                (ng, nLoss, nEta, nFMaxAtLast, nReduced) = (gk, lossK, eta.clone(), fMaxAtLast.clone(), reducedAtLast.clone());
                if (next < checkpoints.Length && k == checkpoints[next])
                {
                    var window = checkpoints[next] - checkpoints[next - 1];
                    var oscillating = nIncreases.to_type(ScalarType.Float64).lt(Rho * window);   // condition 1
                    var stalled = reducedAtLast.logical_not() & nFMax.eq(fMaxAtLast);          // condition 2
                    var reduce = oscillating | stalled;
                    var r = LpBall.Broadcast(reduce, x);
                    nEta = where(reduce, eta / 2, eta);
                    nx = where(r, nXMax, nx);
                    ng = where(r, nGMax, gk);
                    nLoss = where(reduce, nFMax, lossK);
                    nIncreases = zeros_like(increases);
                    nFMaxAtLast = nFMax.clone();
                    nReduced = reduce;
                    next++;
                }
            }
            xPrev.Dispose();
            xPrev = x; // x⁽ᵏ⁾ becomes x⁽ᵏ⁻¹⁾; it already lives outside this scope
            x = nx.MoveToOuterDisposeScope();
            Iterates.Replace(ref g, ng);
            Iterates.Replace(ref loss, nLoss);
            Iterates.Replace(ref found, nFound);
            Iterates.Replace(ref adv, nAdv);
            Iterates.Replace(ref xMax, nXMax);
            Iterates.Replace(ref gMax, nGMax);
            Iterates.Replace(ref fMax, nFMax);
            Iterates.Replace(ref eta, nEta);
            Iterates.Replace(ref increases, nIncreases);
            Iterates.Replace(ref fMaxAtLast, nFMaxAtLast);
            Iterates.Replace(ref reducedAtLast, nReduced);
        }

        Tensor result;
        using (no_grad()) result = where(LpBall.Broadcast(found, x0), adv, xMax);
        foreach (var t in new[] { x, xPrev, g, loss, found, adv, xMax, gMax, fMax, eta, increases, fMaxAtLast, reducedAtLast })
            t.Dispose();
        return result;
    }
}
