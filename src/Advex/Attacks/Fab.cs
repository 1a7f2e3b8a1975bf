namespace Advex.Attacks;

using Advex.Attacks.Core;
using Advex.Models;
using Advex.Validation;
using static TorchSharp.torch;

/// <summary>
/// Fast Adaptive Boundary attack (Croce &amp; Hein 2020, "Minimally distorted adversarial examples with a fast
/// adaptive boundary attack"), a minimum-norm attack in L∞, L2 or L1. At the iterate x⁽ⁱ⁾ (x⁽⁰⁾ = x_orig, the
/// clean input) the classifier is linearised; with z the logits and y the label, each class s ≠ y has the boundary
/// f_s(x) = z_s(x) − z_y(x) = 0 and, in the dual norm q of p (L∞ ↔ L1, L2 ↔ L2, L1 ↔ L∞),
/// <code>
///   s     = argmin_{s≠y} |f_s(x⁽ⁱ⁾)| / ‖∇f_s(x⁽ⁱ⁾)‖_q                   the closest linearised boundary
///   π_s   = { z : f_s(x⁽ⁱ⁾) + ⟨∇f_s(x⁽ⁱ⁾), z − x⁽ⁱ⁾⟩ = 0 }             its hyperplane
///   δ⁽ⁱ⁾  = proj_p(x⁽ⁱ⁾, π_s ∩ box) − x⁽ⁱ⁾,   δ_orig = proj_p(x_orig, π_s ∩ box) − x_orig
///   α     = min( ‖δ⁽ⁱ⁾‖_p / (‖δ⁽ⁱ⁾‖_p + ‖δ_orig‖_p), α_max )           (eq. 5: stay close to x_orig)
///   x⁽ⁱ⁺¹⁾ = clip( (1 − α)(x⁽ⁱ⁾ + η δ⁽ⁱ⁾) + α(x_orig + η δ_orig) )      (η &gt; 1 overshoots the boundary)
/// </code>
/// and whenever x⁽ⁱ⁺¹⁾ is adversarial it is kept if its norm ‖x⁽ⁱ⁺¹⁾ − x_orig‖_p is the smallest so far, then pulled
/// back toward x_orig: x⁽ⁱ⁺¹⁾ ← (1 − β) x_orig + β x⁽ⁱ⁺¹⁾ (eq. 6). proj_p is <see cref="HyperplaneProjection"/>.
/// Goals: <see cref="Untargeted"/> uses every class (one gradient per class, a Jacobian); the targeted forms need
/// one gradient per step, of f = z_t − z_y toward <see cref="UntargetedToward.Toward"/> (AutoAttack's FAB-T, any
/// misclassification counts) or of f = z_t − max_{k≠t} z_k for <see cref="Targeted"/> (success: prediction = t).
/// Restarts after the first start at a random point at distance ε/2 from x_orig and keep the smallest adversarial.
/// Returned per sample: the smallest adversarial found, else x_orig; <c>Attack.Run</c> then projects onto
/// the ε-ball, so what counts is an adversarial within ε. With <see cref="EarlyStop"/> a sample stops as soon as
/// it has one within ε (AutoAttack's use: success is then final and only the norm could still shrink). Defaults
/// (the reference implementation's): 100 steps, 1 restart, α_max = 0.1, η = 1.05, β = 0.9.
/// </summary>
public sealed record Fab : Attack
{
    public Fab(double eps, Norm norm = Norm.Linf, int steps = 100, int restarts = 1, double alphaMax = 0.1,
        double eta = 1.05, double beta = 0.9, bool earlyStop = false)
    {
        Eps = Check.NonNegative(eps, "eps");
        Norm = norm;
        Steps = Check.AtLeast(steps, 1, "steps");
        Restarts = Check.AtLeast(restarts, 1, "restarts");
        AlphaMax = Check.InRange(alphaMax, 0, 1, "alpha-max");
        Eta = Check.InRange(eta, 1, 10, "eta");
        Beta = Check.InRange(beta, 0, 1, "beta");
        EarlyStop = earlyStop;
    }

    public override string Name => "fab";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public int Steps { get; }
    public int Restarts { get; }
    public double AlphaMax { get; }
    public double Eta { get; }
    public double Beta { get; }
    public override bool EarlyStop { get; }
    public override bool SupportsL1 => true;
    public override bool IsRandomized => Restarts > 1;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["restarts"] = Restarts, ["alpha_max"] = AlphaMax, ["eta"] = Eta, ["beta"] = Beta,
        ["early_stop"] = EarlyStop,
    };

    public override Attack WithEps(double eps) => new Fab(eps, Norm, Steps, Restarts, AlphaMax, Eta, Beta, EarlyStop);

    public override Attack WithEarlyStop() => new Fab(Eps, Norm, Steps, Restarts, AlphaMax, Eta, Beta, true);

    public override Attack? WithMoreSteps() => new Fab(Eps, Norm, Steps * 2, Restarts, AlphaMax, Eta, Beta, EarlyStop);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        using var outer = NewDisposeScope();
        var best = x.clone();
        var bestNorm = full(x.shape[0], double.PositiveInfinity, dtype: x.dtype);
        for (var r = 0; r < Restarts; r++)
        {
            using var scope = NewDisposeScope();
            var rows = EarlyStop ? bestNorm.gt(Eps).nonzero().squeeze(1) : arange(x.shape[0], dtype: ScalarType.Int64);
            if (rows.numel() == 0) break;
            var xs = x.index_select(0, rows);
            var rowContext = context.Restart(r).Select(rows);
            var start = r == 0 ? xs.clone() : RandomStart(xs, model, rowContext);
            var (adv, norms) = Once(model, xs, goal.Select(rows), start, rowContext);
            var better = norms.lt(bestNorm.index_select(0, rows));
            var improved = rows.masked_select(better);
            Iterates.Replace(ref best, best.index_copy(0, improved, adv.index_select(0, better.nonzero().squeeze(1))));
            Iterates.Replace(ref bestNorm, bestNorm.index_copy(0, improved, norms.masked_select(better)));
        }
        return best.MoveToOuterDisposeScope();
    }

    /// <summary>A point at distance ε/2 (in the attack's norm) from x, in a random direction, clipped to the box.</summary>
    private Tensor RandomStart(Tensor x, Classifier model, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var u = Norm == Norm.Linf ? context.Uniform(x.shape, x.dtype).mul(2).sub(1) : context.Normal(x.shape, x.dtype);
        var scale = LpBall.Norms(u, Norm).clamp_min(1e-12);
        var radius = double.IsFinite(Eps) ? Eps / 2 : 0;
        return (x + radius * u / LpBall.Broadcast(scale, x)).clamp(model.Lower, model.Upper).MoveToOuterDisposeScope();
    }

    /// <summary>The logits at a point and its linearised boundary f + ⟨w, · − x⟩.</summary>
    private sealed record Linearization(Tensor Logits, Tensor F, Tensor W);

    /// <summary>
    /// One run of FAB from <paramref name="start"/> (owned): per sample the smallest adversarial found and its norm
    /// (+∞ and x_orig when none was found). Each step costs what the reference implementation spends: one gradient
    /// evaluation at the current point (whose logits also tell, for free, whether that point is adversarial) and
    /// one forward pass at the stepped point, which decides whether to keep it or step back toward x_orig.
    /// </summary>
    private (Tensor Adversarial, Tensor Norms) Once(Classifier model, Tensor xOrig, AttackGoal goal, Tensor start,
        AttackContext context)
    {
        var n = xOrig.shape[0];
        var bestAdv = xOrig.clone();
        var bestNorm = full(n, double.PositiveInfinity, dtype: xOrig.dtype);
        var active = arange(n, dtype: ScalarType.Int64);
        var x = start;
        for (var k = 0; k < Steps && active.numel() > 0; k++)
        {
            using var scope = NewDisposeScope();
            var lin = Linearize(model, x, goal.Select(active));
            context.Select(active).CountGradients();
            var x0 = Iterates.Rows(xOrig, active);
            var (_, stay) = Keep(x, x0, lin.Logits, goal, active, ref bestAdv, ref bestNorm);
            var rows = Iterates.Rows(active, stay);
            if (rows.numel() == 0) { Iterates.Replace(ref active, rows); break; }
            x0 = Iterates.Rows(x0, stay);
            lin = new Linearization(Iterates.Rows(lin.Logits, stay), Iterates.Rows(lin.F, stay), Iterates.Rows(lin.W, stay));
            var stepped = Step(Iterates.Rows(x, stay), x0, lin, model);
            var logits = model.Logits(stepped);
            context.Select(rows).CountQueries();
            var (success, left) = Keep(stepped, x0, logits, goal, rows, ref bestAdv, ref bestNorm);
            // an adversarial step is pulled back toward x_orig (eq. 6), to look for a smaller one
            var next = Iterates.Rows(where(LpBall.Broadcast(success, stepped), x0 + Beta * (stepped - x0), stepped), left);
            Iterates.Replace(ref x, next);
            Iterates.Replace(ref active, Iterates.Rows(rows, left));
        }
        x.Dispose();
        active.Dispose();
        return (bestAdv, bestNorm);
    }

    /// <summary>
    /// Records the adversarial points among <paramref name="points"/> (rows <paramref name="rows"/> of the run, with
    /// their clean inputs x0 and logits) whose norm is the smallest so far, and returns which rows succeeded and the positions of the rows
    /// that go on: a row stops once its best is within ε (early stop) or is the clean input itself (nothing smaller
    /// exists).
    /// </summary>
    private (Tensor Success, Tensor Stay) Keep(Tensor points, Tensor x0, Tensor logits, AttackGoal goal, Tensor rows,
        ref Tensor bestAdv, ref Tensor bestNorm)
    {
        var success = goal.Select(rows).Succeeded(logits.argmax(1));
        if (!success.any().item<bool>()) return (success, arange(rows.numel(), dtype: ScalarType.Int64));
        var norms = LpBall.Norms(points - x0, Norm);
        var better = success & norms.lt(bestNorm.index_select(0, rows));
        var take = better.nonzero().squeeze(1);
        var improved = rows.index_select(0, take);
        Iterates.Replace(ref bestAdv, bestAdv.index_copy(0, improved, points.index_select(0, take)));
        Iterates.Replace(ref bestNorm, bestNorm.index_copy(0, improved, norms.index_select(0, take)));
        var done = success & bestNorm.index_select(0, rows).le(EarlyStop ? Eps : 0);
        return (success, done.logical_not().nonzero().squeeze(1));
    }

    /// <summary>x⁽ⁱ⁺¹⁾ from x⁽ⁱ⁾ (the biased projection step of eq. 5).</summary>
    private Tensor Step(Tensor x, Tensor x0, Linearization lin, Classifier model)
    {
        using var scope = NewDisposeScope();
        var flat = x.flatten(1);
        var b = (lin.W * flat).sum(1) - lin.F;            // π = { z : ⟨w, z⟩ = ⟨w, x⟩ − f }
        var d1 = HyperplaneProjection.Project(flat, lin.W, b, model.Lower, model.Upper, Norm).view_as(x);
        var d2 = HyperplaneProjection.Project(x0.flatten(1), lin.W, b, model.Lower, model.Upper, Norm).view_as(x);
        var a1 = LpBall.Norms(d1, Norm).clamp_min(1e-8);
        var a2 = LpBall.Norms(d2, Norm).clamp_min(1e-8);
        var alpha = LpBall.Broadcast((a1 / (a1 + a2)).clamp(0, AlphaMax), x);
        return ((1 - alpha) * (x + Eta * d1) + alpha * (x0 + Eta * d2)).clamp(model.Lower, model.Upper)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The logits at x and the boundary FAB aims at: f [m] and w = ∇f [m, D].</summary>
    private Linearization Linearize(Classifier model, Tensor x, AttackGoal goal)
    {
        using var scope = NewDisposeScope();
        Tensor logits, f, w;
        switch (goal)
        {
            case UntargetedToward toward:
                (w, logits) = Gradients.Of(model, x, z => Difference(z, toward.Toward, toward.Labels).sum());
                f = Difference(logits, toward.Toward, toward.Labels);
                break;
            case Targeted targeted:
                (w, logits) = Gradients.Of(model, x, z => Difference(z, targeted.Targets, RunnerUp(z, targeted.Targets)).sum());
                f = Difference(logits, targeted.Targets, RunnerUp(logits, targeted.Targets));
                break;
            default:
                (logits, var jacobian) = Gradients.Jacobian(model, x);
                (f, w) = Closest(logits, jacobian, goal.Classes);
                break;
        }
        return new Linearization(logits.MoveToOuterDisposeScope(), f.MoveToOuterDisposeScope(),
            w.flatten(1).MoveToOuterDisposeScope());
    }

    /// <summary>z_t − z_a per sample.</summary>
    private static Tensor Difference(Tensor z, Tensor t, Tensor a) =>
        z.gather(1, t.unsqueeze(1)).squeeze(1) - z.gather(1, a.unsqueeze(1)).squeeze(1);

    /// <summary>argmax_{k≠t} z_k (from the values only: no gradient flows through the choice).</summary>
    private static Tensor RunnerUp(Tensor z, Tensor t)
    {
        using var _ = no_grad();
        var own = nn.functional.one_hot(t, z.shape[1]).to_type(ScalarType.Bool);
        return z.detach().masked_fill(own, double.NegativeInfinity).argmax(1);
    }

    /// <summary>f_s and ∇f_s of the class s ≠ y whose linearised boundary is closest in the dual norm.</summary>
    private (Tensor F, Tensor W) Closest(Tensor logits, Tensor jacobian, Tensor labels)
    {
        var f = logits - logits.gather(1, labels.unsqueeze(1));
        var w = jacobian - jacobian.gather(1, labels.view(-1, 1, 1).expand(-1, 1, jacobian.shape[2]));
        var dual = Norm switch
        {
            Norm.Linf => w.abs().sum(2),
            Norm.L2 => w.square().sum(2).sqrt(),
            _ => w.abs().amax([2]),
        };
        var own = nn.functional.one_hot(labels, logits.shape[1]).to_type(ScalarType.Bool);
        var s = (f.abs() / (dual + 1e-12)).masked_fill(own, double.PositiveInfinity).argmin(1);
        var fs = f.gather(1, s.unsqueeze(1)).squeeze(1);
        var ws = w.gather(1, s.view(-1, 1, 1).expand(-1, 1, w.shape[2])).squeeze(1);
        return (fs, ws);
    }
}
