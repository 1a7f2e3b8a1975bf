namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// L2 case of <see cref="HyperplaneProjection"/>: min Σ m_i² subject to Σ a_i m_i = c, 0 ≤ m ≤ r. The KKT conditions
/// give m_i = min(λ·a_i, r_i) for one λ ≥ 0 (the step along −w, clipped at the box), the λ that reaches c
/// (water-filling with speed a_i).
/// </summary>
public static class HyperplaneL2
{
    public static Tensor Amounts(Tensor a, Tensor room, Tensor c) => HyperplaneProjection.WaterFill(a, room, c, a);
}
