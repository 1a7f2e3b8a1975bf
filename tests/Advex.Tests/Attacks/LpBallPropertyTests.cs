namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static TorchSharp.torch;

/// <summary>Properties of the ε-ball geometry over random batches, radii and norms.</summary>
public sealed class LpBallPropertyTests
{
    private static (Tensor X0, Tensor X) RandomPair(int seed, int n, double spread)
    {
        using var g = new Generator((ulong)seed);
        var x0 = rand([n, 1, 6, 6], generator: g);
        var x = x0 + (rand([n, 1, 6, 6], generator: g) - 0.5) * 2 * spread;
        return (x0, x);
    }

    private static Tensor Norms(Tensor d, Norm norm) => norm == Norm.Linf ? LpBall.LinfNorms(d) : LpBall.L2Norms(d);

    [Property(MaxTest = 100)]
    public bool Projection_lands_in_the_ball_and_is_idempotent(int seed, PositiveInt n, NormalFloat epsRaw, bool l2)
    {
        using var scope = NewDisposeScope();
        var norm = l2 ? Norm.L2 : Norm.Linf;
        var eps = Math.Abs(epsRaw.Get) % 3;
        var (x0, x) = RandomPair(seed, n.Get % 8 + 1, 2.0);
        var p = LpBall.Project(x, x0, eps, norm);
        var inside = Norms(p - x0, norm).max().item<float>() <= eps + 1e-5;
        var again = LpBall.Project(p, x0, eps, norm);
        return inside && (again - p).abs().max().item<float>() <= 1e-6;
    }

    [Property(MaxTest = 60)]
    public bool L1_projection_lands_in_the_ball_is_idempotent_and_no_farther_than_scaling(int seed, PositiveInt n, NormalFloat epsRaw)
    {
        using var scope = NewDisposeScope();
        var eps = Math.Abs(epsRaw.Get) % 3 + 0.01;
        var (x0, x) = RandomPair(seed, n.Get % 8 + 1, 0.5);
        var p = LpBall.Project(x, x0, eps, Norm.L1);
        var inside = LpBall.L1Norms(p - x0).max().item<float>() <= eps * (1 + 1e-5);
        var again = LpBall.Project(p, x0, eps, Norm.L1);
        // the Euclidean projection is at least as close to x as the rescaled point x0 + δ·min(1, ε/‖δ‖₁)
        var delta = x - x0;
        var scaled = x0 + delta * LpBall.Broadcast((eps / LpBall.L1Norms(delta)).clamp_max(1), x);
        var closer = (LpBall.L2Norms(x - p) - LpBall.L2Norms(x - scaled)).max().item<float>() <= 1e-5;
        return inside && closer && (again - p).abs().max().item<float>() <= 1e-5;
    }

    [Property(MaxTest = 100)]
    public bool Projection_leaves_points_inside_the_ball_unchanged(int seed, PositiveInt n, bool l2)
    {
        using var scope = NewDisposeScope();
        var norm = l2 ? Norm.L2 : Norm.Linf;
        var (x0, x) = RandomPair(seed, n.Get % 8 + 1, 0.01);
        var eps = Norms(x - x0, norm).max().item<float>() + 0.1;
        return (LpBall.Project(x, x0, eps, norm) - x).abs().max().item<float>() <= 1e-6;
    }

    [Property(MaxTest = 100)]
    public bool Random_start_is_inside_ball_and_box(int seed, PositiveInt n, NormalFloat epsRaw, bool l2)
    {
        using var scope = NewDisposeScope();
        var norm = l2 ? Norm.L2 : Norm.Linf;
        var eps = Math.Abs(epsRaw.Get) % 3;
        var (x0, _) = RandomPair(seed, n.Get % 8 + 1, 0);
        using var g = new Generator((ulong)seed + 1);
        var s = LpBall.RandomStart(x0, eps, norm, 0, 1, g);
        return Norms(s - x0, norm).max().item<float>() <= eps + 1e-5 &&
               s.min().item<float>() >= 0 && s.max().item<float>() <= 1;
    }
}
