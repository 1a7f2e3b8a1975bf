namespace Advex.Attacks.Patch;

using Advex.Attacks.Core;
using static TorchSharp.torch;

/// <summary>
/// Brown et al.'s patch application operator A(p, x, l, t, r): the patch p [C, k, k], scaled by s, rotated by r and
/// centred at l, replaces the pixels it covers: x' = (1 − m)⊙x + m⊙p̃, with p̃ and the mask m the transformed
/// patch and its support. In normalised coordinates u ∈ [−1, 1]² the output samples the centred patch canvas at
/// (1/s)·R(−r)·(u − l) (<c>affine_grid</c> + bilinear <c>grid_sample</c>, differentiable in p).
/// Each sample's (s, r, l) come from four counter-RNG uniforms keyed by its dataset index.
/// </summary>
public static class PatchTransform
{
    /// <summary>The patch applied to x [N, C, H, W] with per-row draws from <paramref name="context"/>.</summary>
    public static Tensor Apply(Tensor patch, Tensor x, PatchOptions o, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var k = patch.shape[1];
        var u = context.Uniform([n, 4], ScalarType.Float64).data<double>().ToArray();
        var theta = new float[n * 6];
        for (var i = 0; i < n; i++)
        {
            var s = o.MinScale + (o.MaxScale - o.MinScale) * u[4 * i];
            var r = (2 * u[4 * i + 1] - 1) * o.MaxRotation * Math.PI / 180;
            // half the scaled patch in normalised units per axis; the centre keeps the (unrotated) square inside
            var (hx, hy) = (k * s / w, k * s / h);
            var lx = (2 * u[4 * i + 2] - 1) * Math.Max(0, 1 - hx);
            var ly = (2 * u[4 * i + 3] - 1) * Math.Max(0, 1 - hy);
            var (cos, sin) = (Math.Cos(r) / s, Math.Sin(r) / s);
            // input = A·(u − l), A = (1/s)·R(−r) = (1/s)·[[cos, sin], [−sin, cos]]
            theta[6 * i] = (float)cos; theta[6 * i + 1] = (float)sin; theta[6 * i + 2] = (float)(-(cos * lx + sin * ly));
            theta[6 * i + 3] = (float)-sin; theta[6 * i + 4] = (float)cos; theta[6 * i + 5] = (float)(sin * lx - cos * ly);
        }
        var grid = nn.functional.affine_grid(tensor(theta, [n, 2, 3]), [n, c, h, w], align_corners: false);
        var canvas = Centered(patch, h, w).unsqueeze(0).expand(n, -1, -1, -1);
        var support = Centered(ones_like(patch), h, w).unsqueeze(0).expand(n, -1, -1, -1);
        var placed = nn.functional.grid_sample(canvas, grid, align_corners: false);
        var mask = nn.functional.grid_sample(support, grid, align_corners: false);
        return ((1 - mask) * x + placed).MoveToOuterDisposeScope();
    }

    /// <summary>The patch on a zero canvas of H × W, at its centre.</summary>
    private static Tensor Centered(Tensor patch, long h, long w)
    {
        var k = patch.shape[1];
        var (top, left) = ((h - k) / 2, (w - k) / 2);
        return nn.functional.pad(patch, [left, w - k - left, top, h - k - top]);
    }
}
