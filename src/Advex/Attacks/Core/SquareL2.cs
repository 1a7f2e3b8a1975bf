namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// The L2 form of Square Attack (Andriushchenko, Croce, Flammarion, Hein 2020, §3.2). Perturbations are built from
/// the pattern η(s): on an s × s square, the two halves carry opposite signs and each half decays from its centre,
/// <code>
///   ρ(i, j) = Σ_{t = d}^{T−1} 1/(t+1)²,   d = max(|i − c_i|, |j − c_j|)  (distance to the half's centre), T its radius
///   η(s)    = [ρ on the top half ; −ρ on the bottom half] / ‖·‖₂,   transposed with probability ½
/// </code>
/// A proposal from δ = x̂ − x₀ (‖δ‖₂ ≤ ε) picks two windows W₁, W₂ of side s per sample; per (sample, channel) the
/// mass of δ on W₁ ∪ W₂ plus the unused budget is moved into W₁:
/// <code>
///   new_c = σ_c η(s) + δ_c|W₁ / ‖δ_c|W₁‖₂,          σ_c = ±1 at random
///   new_c ← new_c / ‖new_c‖₂ · √( max(ε² − ‖δ‖₂², 0)/C + ‖δ_c|W₁∪W₂‖₂² )
///   δ'    = δ with W₁ ∪ W₂ cleared and new written on W₁,    x' = clip(x₀ + ε δ'/‖δ'‖₂)
/// </code>
/// The window positions, transposes and signs are drawn per sample from its <see cref="AttackContext"/> key.
/// </summary>
public static class SquareL2
{
    /// <summary>The start: a grid of η blocks of side ⌊min(h, w)/5⌋, each with its own random signs and
    /// orientation, rescaled to ‖δ‖₂ = ε.</summary>
    public static Tensor Start(Tensor x, double eps, double lo, double hi, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var s = Math.Max(1, (int)Math.Min(h, w) / 5);
        var (rowsOfBlocks, colsOfBlocks) = ((int)h / s, (int)w / s);
        var (top0, left0) = ((h - rowsOfBlocks * s) / 2, (w - colsOfBlocks * s) / 2);
        var delta = zeros_like(x);
        for (var bi = 0; bi < rowsOfBlocks; bi++)
            for (var bj = 0; bj < colsOfBlocks; bj++)
            {
                var top = full(n, top0 + bi * s, dtype: ScalarType.Int64);
                var left = full(n, left0 + bj * s, dtype: ScalarType.Int64);
                var block = Place(Eta(s), top, left, context.Uniform([n]).lt(0.5), h, w);
                delta += block * context.Signs([n, c, 1, 1]);
            }
        return (x + eps * delta / LpBall.Broadcast(LpBall.L2Norms(delta).clamp_min(1e-12), x)).clamp(lo, hi)
            .MoveToOuterDisposeScope();
    }

    /// <summary>One proposal from the current point (see the type's formulas); side s is made odd, at least 3 and at
    /// most min(h, w).</summary>
    public static Tensor Propose(Tensor x0, Tensor current, int side, double eps, double lo, double hi,
        AttackContext context)
    {
        using var scope = NewDisposeScope();
        var (k, c, h, w) = (x0.shape[0], x0.shape[1], x0.shape[2], x0.shape[3]);
        var delta = current - x0;
        var w1 = Window(side, h, w, context);
        var w2 = Window(side, h, w, context);
        var both = w1.Mask.logical_or(w2.Mask);
        var pattern = Place(Eta(side), w1.Top, w1.Left, context.Uniform([k]).lt(0.5), h, w);
        var inW1 = w1.Mask.to_type(delta.dtype);
        var old = delta * inW1 / ChannelNorms(delta * inW1).add(1e-12);
        var proposed = pattern * context.Signs([k, c, 1, 1]) + old;
        var unused = (eps * eps - LpBall.L2Norms(delta).square()).clamp_min(0).view(-1, 1, 1, 1) / c;
        var budget = (unused + ChannelNorms(delta * both.to_type(delta.dtype)).square()).sqrt();
        proposed = proposed / ChannelNorms(proposed).add(1e-12) * budget;
        var next = where(w1.Mask, proposed, where(both, zeros_like(delta), delta));
        var scale = LpBall.Broadcast(LpBall.L2Norms(next).clamp_min(1e-12), next);
        return (x0 + eps * next / scale).clamp(lo, hi).MoveToOuterDisposeScope();
    }

    /// <summary>The side of the square at coverage p of an h × w image: round(√(p·h·w)), odd, in [3, min(h, w)].</summary>
    public static int Side(double p, long h, long w)
    {
        var s = Math.Max((int)Math.Round(Math.Sqrt(p * h * w)), 3);
        if (s % 2 == 0) s++;
        return (int)Math.Min(s, Math.Min(h, w));
    }

    /// <summary>η(s) [s, s]: opposite-signed decaying halves, unit L2 norm.</summary>
    public static Tensor Eta(int s)
    {
        using var scope = NewDisposeScope();
        var top = s / 2;
        var half1 = Rings(top, s);
        var half2 = Rings(s - top, s).neg();
        var eta = cat([half1, half2], 0);
        return (eta / eta.square().sum().sqrt().clamp_min(1e-12)).MoveToOuterDisposeScope();
    }

    /// <summary>ρ on an a × b rectangle: Σ_{t=d}^{T−1} 1/(t+1)² with d the Chebyshev distance to the centre
    /// (⌊a/2⌋, ⌊b/2⌋) and T = max(⌊a/2⌋, ⌊b/2⌋) + 1; unit L2 norm (empty when a = 0).</summary>
    private static Tensor Rings(int a, int b)
    {
        if (a == 0) return zeros(0, b, dtype: ScalarType.Float32);
        using var scope = NewDisposeScope();
        var i = (arange(a, dtype: ScalarType.Int64) - a / 2).abs().unsqueeze(1);
        var j = (arange(b, dtype: ScalarType.Int64) - b / 2).abs().unsqueeze(0);
        var d = maximum(i, j);
        var t = Math.Max(a / 2, b / 2) + 1;
        var tail = (1.0 / (arange(t, dtype: ScalarType.Float64) + 1).square()).flip(0).cumsum(0).flip(0); // Σ_{u≥d}
        var rho = tail.index_select(0, d.flatten().clamp_max(t - 1)).view(a, b) * d.lt(t);
        return (rho / rho.square().sum().sqrt().clamp_min(1e-12)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>A side × side window per sample at a uniformly random position (its mask [k, 1, h, w]).</summary>
    private sealed record Placed(Tensor Top, Tensor Left, Tensor Mask);

    private static Placed Window(int side, long h, long w, AttackContext context)
    {
        var top = context.Integers(0, h - side + 1);
        var left = context.Integers(0, w - side + 1);
        var r = arange(h, dtype: ScalarType.Int64).view(1, -1, 1) - top.view(-1, 1, 1);
        var q = arange(w, dtype: ScalarType.Int64).view(1, 1, -1) - left.view(-1, 1, 1);
        var mask = (r.ge(0) & r.lt(side) & q.ge(0) & q.lt(side)).unsqueeze(1);
        return new Placed(top, left, mask);
    }

    /// <summary>The pattern [s, s] written at (top, left) of an h × w image per sample, transposed where asked, zero
    /// elsewhere: [k, 1, h, w].</summary>
    private static Tensor Place(Tensor pattern, Tensor top, Tensor left, Tensor transpose, long h, long w)
    {
        using var scope = NewDisposeScope();
        var s = pattern.shape[0];
        var r = arange(h, dtype: ScalarType.Int64).view(1, -1, 1) - top.view(-1, 1, 1);   // [k, h, 1]
        var q = arange(w, dtype: ScalarType.Int64).view(1, 1, -1) - left.view(-1, 1, 1);  // [k, 1, w]
        var inside = r.ge(0) & r.lt(s) & q.ge(0) & q.lt(s);
        var (rc, qc) = (r.clamp(0, s - 1).expand_as(inside), q.clamp(0, s - 1).expand_as(inside));
        var flip = transpose.view(-1, 1, 1);
        var index = where(flip, qc, rc) * s + where(flip, rc, qc);
        var values = pattern.flatten().index_select(0, index.flatten()).view(inside.shape) * inside;
        return values.unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Per (sample, channel) L2 norms over the image plane, [k, c, 1, 1].</summary>
    private static Tensor ChannelNorms(Tensor t) => t.square().sum([2, 3], keepdim: true).sqrt();
}
