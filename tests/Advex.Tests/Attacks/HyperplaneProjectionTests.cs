namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using FsCheck.Xunit;
using static TorchSharp.torch;

/// <summary>
/// FAB's projection onto a hyperplane inside the box: lands in the box, on the hyperplane when that is reachable,
/// matches the closed forms when the box does not bind, and is the smallest of the three norms' solutions in its own
/// norm (each solution is feasible for the others' problem, so each must win in its own norm).
/// </summary>
public sealed class HyperplaneProjectionTests
{
    private static readonly Norm[] Norms = [Norm.Linf, Norm.L2, Norm.L1];

    private static (Tensor T, Tensor W, Tensor B) Problem(int seed, int rows, int d, double reach)
    {
        using var g = new Generator((ulong)seed);
        var t = rand([rows, d], generator: g, dtype: ScalarType.Float64);
        var w = randn([rows, d], generator: g, dtype: ScalarType.Float64);
        // b between the current value and `reach` times the farthest reachable value
        var c = (w * t).sum(1);
        var down = (w.abs() * where(w.gt(0), t, 1 - t)).sum(1);   // the most ⟨w, ·⟩ can fall inside the box
        var up = (w.abs() * where(w.gt(0), 1 - t, t)).sum(1);     // the most it can rise
        var lower = rand([rows], generator: g).lt(0.5);
        var b = where(lower, c - reach * down, c + reach * up);
        return (t, w, b);
    }

    [Property(MaxTest = 30)]
    public bool Projection_lands_on_the_hyperplane_inside_the_box(int seed, bool l2, bool l1)
    {
        using var scope = NewDisposeScope();
        var norm = l1 ? Norm.L1 : l2 ? Norm.L2 : Norm.Linf;
        var (t, w, b) = Problem(seed, 8, 50, 0.7);
        var d = HyperplaneProjection.Project(t, w, b, 0, 1, norm);
        var z = t + d;
        var onPlane = ((w * z).sum(1) - b).abs().max().item<double>() < 1e-8;
        return onPlane && z.min().item<double>() >= -1e-12 && z.max().item<double>() <= 1 + 1e-12;
    }

    [Property(MaxTest = 30)]
    public bool Each_norm_solution_is_the_smallest_in_its_norm(int seed)
    {
        using var scope = NewDisposeScope();
        var (t, w, b) = Problem(seed, 8, 50, 0.7);
        var steps = Norms.Select(n => HyperplaneProjection.Project(t, w, b, 0, 1, n)).ToArray();
        for (var i = 0; i < Norms.Length; i++)
            foreach (var other in steps)
                if ((LpBall.Norms(steps[i], Norms[i]) - LpBall.Norms(other, Norms[i])).max().item<double>() > 1e-9)
                    return false;
        return true;
    }

    [Fact]
    public void Without_the_box_binding_the_projection_is_the_closed_form()
    {
        using var scope = NewDisposeScope();
        var t = full([1, 4], 0.5, dtype: ScalarType.Float64);
        var w = tensor(new double[] { 1, -2, 0.5, 4 }).reshape(1, 4);
        var b = tensor(new double[] { (w * t).sum().item<double>() - 0.1 });  // c = ⟨w, t⟩ − b = 0.1
        // L2: −c w/‖w‖²; L∞: −c sign(w)/‖w‖₁; L1: only the largest |w_i| moves, by c/|w_i|
        var l2 = HyperplaneProjection.Project(t, w, b, 0, 1, Norm.L2);
        Assert.True((l2 - (-0.1) * w / w.square().sum()).abs().max().item<double>() < 1e-12);
        var linf = HyperplaneProjection.Project(t, w, b, 0, 1, Norm.Linf);
        Assert.True((linf - (-0.1) * w.sign() / w.abs().sum()).abs().max().item<double>() < 1e-12);
        var l1 = HyperplaneProjection.Project(t, w, b, 0, 1, Norm.L1);
        Assert.True((l1 - tensor(new double[] { 0, 0, 0, -0.1 / 4 }).reshape(1, 4)).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void An_unreachable_hyperplane_gives_the_closest_box_point()
    {
        using var scope = NewDisposeScope();
        var t = full([1, 3], 0.5, dtype: ScalarType.Float64);
        var w = tensor(new double[] { 1, -1, 0 }).reshape(1, 3);
        var b = tensor(new double[] { 5.0 });                                // ⟨w, z⟩ ≤ 1 on the box
        foreach (var norm in Norms)
        {
            var z = t + HyperplaneProjection.Project(t, w, b, 0, 1, norm);
            Assert.Equal([1.0, 0.0, 0.5], z.reshape(3).data<double>().ToArray());
        }
    }
}
