namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// L1 case of <see cref="HyperplaneProjection"/>: min Σ m_i subject to Σ a_i m_i = c, 0 ≤ m ≤ r, a fractional
/// knapsack: spend on the coordinates with the largest a_i first. With a sorted in decreasing order and
/// C_j = Σ_{i≤j} a_(i) r_(i), the coordinates before the first j with C_j ≥ c move fully, coordinate j moves
/// (c − C_{j−1})/a_(j), the rest stay.
/// </summary>
public static class HyperplaneL1
{
    public static Tensor Amounts(Tensor a, Tensor room, Tensor c)
    {
        using var scope = NewDisposeScope();
        var (sortedA, order) = a.sort(1, descending: true);
        var sortedRoom = room.gather(1, order);
        var capacity = (sortedA * sortedRoom).cumsum(1);
        var j = capacity.lt(c.unsqueeze(1)).sum(1, keepdim: true).clamp_max(a.shape[1] - 1);
        var spent = where(j.eq(0), zeros_like(j, dtype: capacity.dtype), capacity.gather(1, (j - 1).clamp_min(0)));
        var partial = ((c.unsqueeze(1) - spent) / sortedA.gather(1, j).clamp_min(1e-30)).clamp_min(0);
        var position = arange(a.shape[1], dtype: ScalarType.Int64).unsqueeze(0);
        var sorted = where(position.lt(j), sortedRoom,
            where(position.eq(j), minimum(partial, sortedRoom), zeros_like(sortedRoom)));
        return zeros_like(a).scatter(1, order, sorted).MoveToOuterDisposeScope();
    }
}
