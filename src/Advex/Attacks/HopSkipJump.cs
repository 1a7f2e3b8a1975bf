namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// HopSkipJump (Chen, Jordan, Wainwright 2020, "HopSkipJumpAttack: A Query-Efficient Decision-Based Attack"), L2 or
/// L∞, a decision-based minimisation attack: it sees only the model's top-1 label φ(x') = 1 when x' meets the goal,
/// so it also runs on forward-only backends (onnxruntime). Each row starts from a uniform-noise image that meets the
/// goal (up to 100 draws; a row with none is returned unchanged) and walks along the decision boundary. With d the
/// input size, θ = γ/d^{3/2} (L2) or γ/d² (L∞), and distances dₜ in the attack's norm:
/// <code>
///   boundary:  binary search between x and x̃ on the blend (1 − a)·x + a·x̃ (L2) or on clip(x̃, x − a, x + a) (L∞),
///              until the bracket is below θ (L∞: min(θ, θ·‖x̃ − x‖∞)); the adversarial end xₜ is kept
///   gradient:  Bₜ = min(B₀·√t, B_max) unit directions uᵦ (Gaussian for L2, uniform in [−1,1]ᵈ for L∞, L2-normalised),
///              δₜ = √d·θ·dₜ₋₁ (L2) or d·θ·dₜ₋₁ (L∞), δ₁ = 0.1·(hi − lo);  φᵦ = ±1 at clip(xₜ + δₜuᵦ);
///              ∇̂ = mean((φᵦ − φ̄)·uᵦ)  (mean(φᵦ·uᵦ) when every φᵦ agrees),  v = ∇̂/‖∇̂‖₂ (L2) or sign(∇̂) (L∞)
///   step:      ξ = dₜ/√t, halved until clip(xₜ + ξv) meets the goal (at most 25 times), then back to the boundary
/// </code>
/// Defaults as the paper and Foolbox: γ = 1, B₀ = 100, B_max = 10,000, at most 64 iterations; the query budget
/// (<see cref="Queries"/>, default 1,000 per sample) stops a row before an iteration it could not pay for in full,
/// so no row spends more. Every query is counted per row (<c>queries</c> in the records).
/// </summary>
public sealed record HopSkipJump : Attack
{
    private const int InitTrials = 100, MaxHalvings = 25, ChunkImages = 4096;

    public HopSkipJump(Norm norm = Norm.L2, int queries = 1000, int steps = 64, double gamma = 1.0,
        int initEvals = 100, int maxEvals = 10_000)
    {
        if (norm is not (Norm.L2 or Norm.Linf))
            throw AdvexException.About($"hsj supports the norms l2 and linf, not {norm.Name()}", "norm");
        Norm = norm;
        Queries = Check.AtLeast(queries, 1, "queries");
        Steps = Check.AtLeast(steps, 1, "steps");
        Gamma = Check.Positive(gamma, "gamma");
        InitEvals = Check.AtLeast(initEvals, 1, "init-evals");
        MaxEvals = Check.AtLeast(maxEvals, initEvals, "max-evals");
    }

    public override string Name => "hsj";
    public override Norm Norm { get; }
    public int Queries { get; }
    public int Steps { get; }
    public double Gamma { get; }
    public int InitEvals { get; }
    public int MaxEvals { get; }
    public override bool IsRandomized => true;
    public override bool NeedsGradients => false;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["queries"] = Queries, ["steps"] = Steps, ["gamma"] = Gamma, ["init_evals"] = InitEvals, ["max_evals"] = MaxEvals,
    };

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        var d = x[0].numel();
        var (lo, hi) = (model.Lower, model.Upper);
        var theta = Norm == Norm.L2 ? Gamma / (d * Math.Sqrt(d)) : Gamma / ((double)d * d);
        var searchSteps = (int)Math.Ceiling(Math.Log2(Math.Max(1, hi - lo) / theta)) + 1;
        var start = context.RowQueries();
        var adv = x.clone();
        var (found, init) = Initial(model, x, goal, context);
        var rows = found.nonzero().squeeze(1);
        if (rows.numel() > 0)
        {
            using var scope = NewDisposeScope();
            var boundary = BinarySearch(model, Pick(x, rows), Pick(init, rows), goal.Select(rows), context.Select(rows), theta);
            Iterates.Replace(ref adv, adv.index_copy(0, rows, boundary));
        }
        var alive = found.data<bool>().ToArray();
        for (var t = 1; t <= Steps; t++)
        {
            using var scope = NewDisposeScope();
            var evals = (int)Math.Min(InitEvals * Math.Sqrt(t), MaxEvals);
            var cost = evals + MaxHalvings + 1L + searchSteps;
            var used = context.RowQueries();
            for (var i = 0; i < alive.Length; i++) alive[i] &= used[i] - start[i] + cost <= Queries;
            var active = Enumerable.Range(0, alive.Length).Where(i => alive[i]).Select(i => (long)i).ToArray();
            if (active.Length == 0) break;
            var index = tensor(active, ScalarType.Int64);
            var (xs, current, g, rowsCtx) = (Pick(x, index), Pick(adv, index), goal.Select(index), context.Select(index).Step(t));
            var distance = LpBall.Norms(current - xs, Norm);
            var delta = t == 1
                ? full_like(distance, 0.1 * (hi - lo))
                : distance * (Norm == Norm.L2 ? Math.Sqrt(d) * theta : d * theta);
            var v = Direction(model, current, g, delta, evals, rowsCtx, lo, hi);
            var stepped = StepSearch(model, current, v, distance / Math.Sqrt(t), g, rowsCtx, lo, hi);
            var next = BinarySearch(model, xs, stepped, g, rowsCtx, theta);
            Iterates.Replace(ref adv, adv.index_copy(0, index, next));
        }
        found.Dispose();
        init.Dispose();
        return adv;
    }

    private static Tensor Pick(Tensor t, Tensor rows) => Iterates.Rows(t, rows);

    /// <summary>φ for each row's point [r] (one query per row).</summary>
    private static Tensor Meets(Classifier model, Tensor points, AttackGoal goal, AttackContext rows)
    {
        rows.CountQueries();
        return goal.Succeeded(model.Predict(points));
    }

    /// <summary>Per row, the first of up to 100 uniform-noise images that meets the goal (found [N], images [N,…]).
    /// Rows that meet it already at x are not attacked (found false).</summary>
    private (Tensor Found, Tensor Images) Initial(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        var done = Meets(model, x, goal, context);
        var found = zeros(x.shape[0], dtype: ScalarType.Bool);
        var images = x.clone();
        var stream = context.Stream("init");
        for (var j = 0; j < InitTrials; j++)
        {
            using var scope = NewDisposeScope();
            var rows = (found | done).logical_not().nonzero().squeeze(1);
            if (rows.numel() == 0) break;
            var ctx = stream.Select(rows).Step(j);
            var noise = ctx.Uniform(Pick(x, rows).shape, x.dtype).mul_(model.Upper - model.Lower).add_(model.Lower);
            var ok = Meets(model, noise, goal.Select(rows), ctx);
            var hit = rows.masked_select(ok);
            Iterates.Replace(ref images, images.index_copy(0, hit, noise.index_select(0, ok.nonzero().squeeze(1))));
            Iterates.Replace(ref found, found.index_fill(0, hit, true));
        }
        done.Dispose();
        return (found, images);
    }

    /// <summary>The adversarial end of a bisection between x (not adversarial) and a (adversarial), per row.</summary>
    private Tensor BinarySearch(Classifier model, Tensor x, Tensor a, AttackGoal goal, AttackContext rows, double theta)
    {
        using var scope = NewDisposeScope();
        var linf = Norm == Norm.Linf;
        var high = linf ? LpBall.LinfNorms(a - x) : ones(x.shape[0], dtype: x.dtype);
        var low = zeros_like(high);
        var threshold = linf ? (high * theta).clamp_max(theta) : full_like(high, theta);
        while (true)
        {
            using var inner = NewDisposeScope();
            var open = (high - low).gt(threshold);
            if (!open.any().item<bool>()) break;
            var idx = open.nonzero().squeeze(1);
            var mid = (Pick(low, idx) + Pick(high, idx)) / 2;
            var ok = Meets(model, Blend(Pick(x, idx), Pick(a, idx), mid), goal.Select(idx), rows.Select(idx));
            Iterates.Replace(ref high, high.index_copy(0, idx, where(ok, mid, Pick(high, idx))));
            Iterates.Replace(ref low, low.index_copy(0, idx, where(ok, Pick(low, idx), mid)));
        }
        return Blend(x, a, high).MoveToOuterDisposeScope();
    }

    /// <summary>The point at bracket value s [r] between x and a: a blend (L2) or a projection onto the L∞ ball (L∞).</summary>
    private Tensor Blend(Tensor x, Tensor a, Tensor s)
    {
        var b = LpBall.Broadcast(s, x);
        return Norm == Norm.L2 ? (1 - b) * x + b * a : minimum(maximum(a, x - b), x + b);
    }

    /// <summary>The unit step direction v from the Monte-Carlo estimate of the boundary's normal at each row's point.</summary>
    private Tensor Direction(Classifier model, Tensor point, AttackGoal goal, Tensor delta, int evals, AttackContext rows,
        double lo, double hi)
    {
        using var scope = NewDisposeScope();
        var r = point.shape[0];
        var chunk = Math.Max(1, ChunkImages / evals);
        var parts = new List<Tensor>();
        for (var s = 0L; s < r; s += chunk)
        {
            using var inner = NewDisposeScope();
            var idx = arange(s, Math.Min(r, s + chunk), dtype: ScalarType.Int64);
            var k = idx.shape[0];
            var p = Pick(point, idx).unsqueeze(1);
            var dl = LpBall.Broadcast(Pick(delta, idx), p);
            var ctx = rows.Select(idx);
            long[] shape = [k, evals, .. point.shape[1..]];
            var u = Norm == Norm.L2 ? ctx.Normal(shape, point.dtype) : ctx.Uniform(shape, point.dtype).mul_(2).sub_(1);
            u = u / u.flatten(2).norm(2, keepdim: true, p: 2).clamp_min(1e-12).view([k, evals, .. Enumerable.Repeat(1L, (int)point.dim() - 1)]);
            var perturbed = (p + dl * u).clamp(lo, hi);
            u = (perturbed - p) / dl;
            var flat = perturbed.flatten(0, 1);
            var each = goal.Select(idx.repeat_interleave(evals));
            var phi = each.Succeeded(model.Predict(flat)).to_type(point.dtype).mul(2).sub(1).view(k, evals);
            ctx.CountQueries(evals);
            var mean = phi.mean([1], keepdim: true);
            var weights = where(mean.abs().eq(1), phi, phi - mean);
            var g = (u.flatten(2) * weights.unsqueeze(2)).mean([1]);
            parts.Add(g.MoveToOuterDisposeScope());
        }
        var grad = cat(parts, 0).view_as(point);
        var v = Norm == Norm.L2 ? grad / LpBall.Broadcast(LpBall.L2Norms(grad).clamp_min(1e-12), grad) : grad.sign();
        return v.MoveToOuterDisposeScope();
    }

    /// <summary>clip(p + ξ·v) with ξ halved per row until the point meets the goal (ξ = 0 after 25 halvings).</summary>
    private static Tensor StepSearch(Classifier model, Tensor point, Tensor v, Tensor xi, AttackGoal goal,
        AttackContext rows, double lo, double hi)
    {
        using var scope = NewDisposeScope();
        var size = xi.clone();
        var done = zeros(point.shape[0], dtype: ScalarType.Bool);
        for (var h = 0; h <= MaxHalvings; h++)
        {
            using var inner = NewDisposeScope();
            var idx = done.logical_not().nonzero().squeeze(1);
            if (idx.numel() == 0) break;
            var candidate = (Pick(point, idx) + LpBall.Broadcast(Pick(size, idx), v) * Pick(v, idx)).clamp(lo, hi);
            var ok = Meets(model, candidate, goal.Select(idx), rows.Select(idx));
            Iterates.Replace(ref done, done.index_copy(0, idx, ok));
            Iterates.Replace(ref size, size.index_copy(0, idx, where(ok, Pick(size, idx), Pick(size, idx) / 2)));
        }
        Iterates.Replace(ref size, where(done, size, zeros_like(size)));
        return (point + LpBall.Broadcast(size, point) * v).clamp(lo, hi).MoveToOuterDisposeScope();
    }
}
