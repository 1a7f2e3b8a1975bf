namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>Geometry of the ε-balls around x0: projection, random starts, per-sample norms.</summary>
public static class LpBall
{
    private const double Tiny = 1e-12;

    /// <summary>Projects x onto the ε-ball around x0 (per sample), without clipping to the box.</summary>
    public static Tensor Project(Tensor x, Tensor x0, double eps, Norm norm)
    {
        using var scope = NewDisposeScope();
        var delta = x - x0;
        if (norm == Norm.Linf) return (x0 + delta.clamp(-eps, eps)).MoveToOuterDisposeScope();
        if (norm == Norm.L1) return (x0 + ProjectL1(delta, eps)).MoveToOuterDisposeScope();
        if (norm == Norm.L0) throw new ArgumentException("no ε-ball projection in l0 (FMN projects per sample)", nameof(norm));
        var n = L2Norms(delta).clamp_min(Tiny);
        var factor = (eps / n).clamp_max(1.0);
        return (x0 + delta * Broadcast(factor, x)).MoveToOuterDisposeScope();
    }

    /// <summary>A uniform random point of the ε-ball around x0 (L∞: uniform in the cube; L2: uniform in the
    /// ball, direction Gaussian, radius ε·u^(1/d)), clipped to the box [lo, hi].</summary>
    public static Tensor RandomStart(Tensor x0, double eps, Norm norm, double lo, double hi, Generator? rng = null)
    {
        using var scope = NewDisposeScope();
        Tensor delta;
        if (norm == Norm.Linf)
        {
            delta = rand(x0.shape, generator: rng).mul_(2 * eps).sub_(eps);
        }
        else
        {
            var d = x0[0].numel();
            var dir = randn(x0.shape, generator: rng);
            dir = dir / Broadcast(L2Norms(dir).clamp_min(Tiny), x0);
            var radius = rand(x0.shape[0], generator: rng).pow(1.0 / d).mul_(eps);
            delta = dir * Broadcast(radius, x0);
        }
        return (x0 + delta).clamp(lo, hi).MoveToOuterDisposeScope();
    }

    /// <summary>The same random start with the rows' counter-based numbers (<see cref="AttackContext"/>): L∞ one
    /// draw, L2 three (two for the Gaussian direction, one for the radius).</summary>
    public static Tensor RandomStart(Tensor x0, double eps, Norm norm, double lo, double hi, AttackContext context)
    {
        using var scope = NewDisposeScope();
        Tensor delta;
        if (norm == Norm.Linf)
        {
            delta = context.Uniform(x0.shape, x0.dtype).mul_(2 * eps).sub_(eps);
        }
        else
        {
            var d = x0[0].numel();
            var dir = context.Normal(x0.shape, x0.dtype);
            dir = dir / Broadcast(L2Norms(dir).clamp_min(Tiny), x0);
            var radius = context.Uniform([x0.shape[0]], x0.dtype).pow(1.0 / d).mul_(eps);
            delta = dir * Broadcast(radius, x0);
        }
        return (x0 + delta).clamp(lo, hi).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Euclidean projection of each δ onto the L1 ball of radius ε (Duchi, Shalev-Shwartz, Singer, Chandra 2008):
    /// with u = |δ| sorted in decreasing order, ρ = max{j : u_j − (Σ_{i≤j} u_i − ε)/j &gt; 0} and
    /// θ = (Σ_{i≤ρ} u_i − ε)/ρ, the projection is sign(δ)·max(|δ| − θ, 0); rows already inside are kept. The running
    /// sums are in float64 (float32 loses ε's digits).
    /// </summary>
    public static Tensor ProjectL1(Tensor delta, double eps)
    {
        using var scope = NewDisposeScope();
        return PerSampleBall.Project(delta, full(delta.shape[0], eps, ScalarType.Float64), Norm.L1).MoveToOuterDisposeScope();
    }

    /// <summary>Per-sample norm [N] in the given norm.</summary>
    public static Tensor Norms(Tensor t, Norm norm) => norm switch
    {
        Norm.Linf => LinfNorms(t),
        Norm.L2 => L2Norms(t),
        Norm.L1 => L1Norms(t),
        _ => L0Norms(t),
    };

    /// <summary>Per-sample L2 norm [N] of a batch [N, ...].</summary>
    public static Tensor L2Norms(Tensor t) => t.flatten(1).norm(1, keepdim: false, p: 2);

    /// <summary>Per-sample L∞ norm [N].</summary>
    public static Tensor LinfNorms(Tensor t) => t.flatten(1).abs().amax([1]);

    /// <summary>Per-sample L1 norm [N].</summary>
    public static Tensor L1Norms(Tensor t) => t.flatten(1).abs().sum(1);

    /// <summary>Per-sample L0 "norm" [N]: the number of nonzero coordinates (as the input's dtype).</summary>
    public static Tensor L0Norms(Tensor t) => t.flatten(1).ne(0).sum(1).to_type(t.dtype);

    /// <summary>Reshapes a per-sample vector [N] to broadcast against a batch like <paramref name="like"/>.</summary>
    public static Tensor Broadcast(Tensor perSample, Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        return perSample.reshape(shape);
    }

    /// <summary>g divided by its per-sample norm (L2) or its sign (L∞): the steepest ascent direction.</summary>
    public static Tensor SteepestDirection(Tensor g, Norm norm)
    {
        if (norm == Norm.Linf) return g.sign();
        using var scope = NewDisposeScope();
        return (g / Broadcast(L2Norms(g).clamp_min(Tiny), g)).MoveToOuterDisposeScope();
    }
}
