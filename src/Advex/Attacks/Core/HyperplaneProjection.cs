namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// The projection FAB needs (Croce &amp; Hein 2020, "Minimally distorted adversarial examples with a fast adaptive
/// boundary attack", eq. 4): for each row t of [M, D], the smallest step d in the norm p with
/// <code>
///   ⟨w, t + d⟩ = b      (onto the hyperplane)      and      lo ≤ t + d ≤ hi      (inside the box).
/// </code>
/// With c = ⟨w, t⟩ − b, flip the sign of (w, c) so that c ≥ 0: the step must lower ⟨w, ·⟩ by c. Coordinate i can
/// move only against sign(w_i), by an amount m_i ∈ [0, r_i] (its room to the box: t_i − lo when w_i &gt; 0,
/// hi − t_i when w_i &lt; 0), lowering ⟨w, ·⟩ by a_i·m_i with a_i = |w_i|. So the problem is
/// <code>
///   min ‖m‖_p   subject to   Σ a_i m_i = c,   0 ≤ m ≤ r,        d = −sign(w) ⊙ m,
/// </code>
/// solved exactly per norm (<see cref="HyperplaneLinf"/>, <see cref="HyperplaneL2"/>, <see cref="HyperplaneL1"/>).
/// When even the full move (m = r) cannot reach the hyperplane (Σ a_i r_i &lt; c) the box point closest to it is
/// returned (m = r). Computed in t's dtype (float32 inside attacks, as the reference implementation; float64 where
/// a caller needs the exact solution).
/// </summary>
public static class HyperplaneProjection
{
    public static Tensor Project(Tensor t, Tensor w, Tensor b, double lo, double hi, Norm norm)
    {
        using var scope = NewDisposeScope();
        w = w.to_type(t.dtype);
        var c = (w * t).sum(1) - b.to_type(t.dtype);
        w = w * where(c.ge(0), 1.0, -1.0).to_type(t.dtype).unsqueeze(1);
        c = c.abs();
        var a = w.abs();
        // where w_i = 0, a_i = 0: the coordinate lowers nothing, whatever its room
        var room = where(w.gt(0), t - lo, hi - t).clamp_min(0);
        var m = norm switch
        {
            Norm.Linf => HyperplaneLinf.Amounts(a, room, c),
            Norm.L2 => HyperplaneL2.Amounts(a, room, c),
            _ => HyperplaneL1.Amounts(a, room, c),
        };
        var full = (a * room).sum(1).le(c).unsqueeze(1);
        return where(full, room, m).mul_(w.sign().neg_()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The amounts m_i = min(θ·s_i, r_i) of a "water-filling" solution, for the θ ≥ 0 with Σ a_i m_i = c: coordinate
    /// i saturates at θ = k_i = r_i/s_i. With the k_i sorted, the reached value at θ = k_(j) is
    /// G_j = Σ_{i≤j} a_(i) r_(i) + k_(j)·Σ_{i&gt;j} a_(i) s_(i), which grows with j; the first j with G_j ≥ c fixes
    /// θ = (c − Σ_{i&lt;j} a_(i) r_(i)) / Σ_{i≥j} a_(i) s_(i). Rows that cannot reach c are handled by the caller.
    /// </summary>
    internal static Tensor WaterFill(Tensor a, Tensor room, Tensor c, Tensor? speed)
    {
        using var scope = NewDisposeScope();
        var rate = speed is null ? a : a * speed;                                    // a_i s_i (s_i = 1 when null)
        var moves = rate.gt(0);
        var big = room.dtype == ScalarType.Float64 ? 1e300 : 1e30;
        var key = where(moves, speed is null ? room : room / speed.clamp_min(1e-30), full_like(room, big));
        var (sortedKey, order) = key.sort(1);
        var saturated = (a * room).gather(1, order).cumsum(1);                       // Σ_{i≤j} a_(i) r_(i)
        var slope = rate.gather(1, order);
        var total = slope.sum(1, keepdim: true);
        var remaining = (total - slope.cumsum(1)).clamp_min(0);                      // Σ_{i>j} a_(i) s_(i)
        var reached = saturated + where(remaining.gt(0), sortedKey * remaining, zeros_like(remaining));
        var j = reached.lt(c.unsqueeze(1)).sum(1, keepdim: true).clamp_max(room.shape[1] - 1);
        var before = (j - 1).clamp_min(0);
        var first = j.eq(0);
        var savedBefore = where(first, zeros_like(c).unsqueeze(1), saturated.gather(1, before));
        var slopeFrom = where(first, total, remaining.gather(1, before));
        var theta = ((c.unsqueeze(1) - savedBefore) / slopeFrom.clamp_min(1e-30)).clamp_min(0);
        var amounts = speed is null ? where(moves, minimum(theta, room), zeros_like(room)) : minimum(theta * speed, room);
        return amounts.MoveToOuterDisposeScope();
    }
}
