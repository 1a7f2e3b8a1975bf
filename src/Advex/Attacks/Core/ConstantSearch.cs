namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// The per-sample binary search on the trade-off constant c of C&amp;W-style attacks (Carlini &amp; Wagner 2017; EAD,
/// Chen et al. 2018): after a round that found an adversarial point, c's upper bound drops to c and c bisects down;
/// after one that did not, the lower bound rises to c and c bisects up, or grows ×10 while no upper bound is known.
/// </summary>
internal sealed class ConstantSearch : IDisposable
{
    private const double Unbounded = 1e10;
    private Tensor lower, upper, c;

    public ConstantSearch(long n, double initial, ScalarType dtype)
    {
        c = full(n, initial, dtype: dtype).DetachFromDisposeScope();
        lower = zeros(n, dtype: dtype).DetachFromDisposeScope();
        upper = full(n, Unbounded, dtype: dtype).DetachFromDisposeScope();
    }

    /// <summary>The current constants [N].</summary>
    public Tensor C => c;

    /// <summary>Moves every sample's c after a round; <paramref name="found"/> [N] says which samples succeeded.</summary>
    public void Update(Tensor found)
    {
        using var scope = NewDisposeScope();
        var up = where(found, minimum(upper, c), upper);
        var low = where(found, lower, maximum(lower, c));
        var next = where(up.lt(Unbounded / 10), (low + up) / 2, c * 10);
        foreach (var t in new[] { lower, upper, c }) t.Dispose();
        (lower, upper, c) = (low.DetachFromDisposeScope(), up.DetachFromDisposeScope(), next.DetachFromDisposeScope());
    }

    public void Dispose()
    {
        foreach (var t in new[] { lower, upper, c }) t.Dispose();
    }
}
