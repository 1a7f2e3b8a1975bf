namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// Projections of each perturbation δᵢ onto its own ball ‖δᵢ‖_p ≤ εᵢ (ε a tensor [N], +∞ allowed), as minimum-norm
/// attacks (FMN) need: L∞ clamps, L2 rescales, L1 is Duchi et al.'s sort-based projection (<see cref="LpBall.ProjectL1"/>),
/// L0 keeps the ⌊εᵢ⌋ coordinates of largest magnitude (at least one, ties kept).
/// </summary>
public static class PerSampleBall
{
    private const double Tiny = 1e-12;

    public static Tensor Project(Tensor delta, Tensor eps, Norm norm)
    {
        using var scope = NewDisposeScope();
        var flat = delta.flatten(1);
        var e = eps.to_type(flat.dtype).unsqueeze(1);
        var projected = norm switch
        {
            Norm.Linf => minimum(maximum(flat, e.neg()), e),
            Norm.L2 => flat * (e / flat.norm(1, keepdim: true, p: 2).clamp_min(Tiny)).clamp_max(1),
            Norm.L1 => ProjectL1(flat, eps),
            _ => ProjectL0(flat, eps),
        };
        return projected.view_as(delta).MoveToOuterDisposeScope();
    }

    /// <summary>δ with only its k = max(1, ⌊ε⌋) largest |δ_j| kept per row (ε ≥ d keeps every coordinate).</summary>
    private static Tensor ProjectL0(Tensor flat, Tensor eps)
    {
        var d = flat.shape[1];
        var k = eps.nan_to_num(posinf: d).clamp(1, d).floor().to_type(ScalarType.Int64).unsqueeze(1);
        var magnitude = flat.abs();
        var threshold = magnitude.sort(1, descending: true).Values.gather(1, k - 1);
        return flat * magnitude.ge(threshold);
    }

    /// <summary>Rows inside their ball are kept; the others projected with their own radius (sort-based, float64).</summary>
    private static Tensor ProjectL1(Tensor flat, Tensor eps)
    {
        var x = flat.to_type(ScalarType.Float64);
        var e = eps.to_type(ScalarType.Float64).unsqueeze(1);
        var u = x.abs().sort(1, descending: true).Values;
        var cumulative = u.cumsum(1) - e.nan_to_num(posinf: double.MaxValue);
        var j = arange(1, x.shape[1] + 1, dtype: ScalarType.Float64).unsqueeze(0);
        var rho = (u - cumulative / j).gt(0).sum(1, keepdim: true).clamp_min(1);
        var theta = (cumulative.gather(1, rho - 1) / rho.to_type(ScalarType.Float64)).clamp_min(0);
        var inside = x.abs().sum(1, keepdim: true).le(e);
        var projected = x.sign() * (x.abs() - theta).clamp_min(0);
        return where(inside, x, projected).to_type(flat.dtype);
    }
}
