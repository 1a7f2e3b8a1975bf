namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// L∞ case of <see cref="HyperplaneProjection"/>: min max_i m_i subject to Σ a_i m_i = c, 0 ≤ m ≤ r. Every
/// coordinate that can move moves by the same δ until it meets the box: m_i = min(δ, r_i), with δ the smallest value
/// that reaches c (water-filling with speed 1 where a_i &gt; 0).
/// </summary>
public static class HyperplaneLinf
{
    public static Tensor Amounts(Tensor a, Tensor room, Tensor c) => HyperplaneProjection.WaterFill(a, room, c, speed: null);
}
