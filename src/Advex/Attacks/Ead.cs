namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// EAD, the elastic-net attack (Chen, Sharma, Zhang, Yi, Hsieh 2018, "EAD: Elastic-Net Attacks to Deep Neural
/// Networks via Adversarial Examples"), a minimisation attack in L1 with the L1 decision rule. Per sample it
/// minimises g(x') + β‖x' − x‖₁ with g(x') = c·f(x') + ‖x' − x‖₂², f the C&amp;W margin (<see cref="CarliniWagnerL2"/>,
/// f = max(z_y − max_{j≠y} z_j, −κ); targeted max(max_{j≠t} z_j − z_t, −κ)), by FISTA over the box:
/// <code>
///   x⁽ᵏ⁺¹⁾ = S_β(y⁽ᵏ⁾ − αₖ·∇g(y⁽ᵏ⁾)),   αₖ = α₀·(1 − k/K)^½            (polynomial decay)
///   S_β(z)ᵢ = min(zᵢ − β, hi) if zᵢ − xᵢ &gt; β;  xᵢ if |zᵢ − xᵢ| ≤ β;  max(zᵢ + β, lo) if zᵢ − xᵢ &lt; −β
///   y⁽ᵏ⁺¹⁾ = x⁽ᵏ⁺¹⁾ + (k+1)/(k+4)·(x⁽ᵏ⁺¹⁾ − x⁽ᵏ⁾)                          (the slack, from y⁽⁰⁾ = x⁽⁰⁾ = x)
/// </code>
/// Each x⁽ᵏ⁺¹⁾ whose margin is below −κ and whose L1 distance is the smallest so far is kept (the L1 decision rule).
/// The constant c is searched per sample as in C&amp;W (<see cref="ConstantSearch"/>: from c₀, bisect after a success,
/// ×10 while none). A sample stops a round early once its elastic-net loss has not fallen over the last K/10
/// iterations. Defaults are torchattacks' EADL1 (steps K = 100, α₀ = 0.01, c₀ = 1e-3, 9 binary-search steps,
/// β = 1e-3, κ = 0); the paper runs K = 1,000. Each iteration costs one gradient (at y) and one forward pass (at x).
/// </summary>
public sealed record Ead : Attack
{
    public Ead(int steps = 100, double lr = 0.01, double c = 1e-3, int binarySearchSteps = 9, double beta = 1e-3,
        double kappa = 0)
    {
        Steps = Check.AtLeast(steps, 1, "steps");
        Lr = Check.Positive(lr, "lr");
        C = Check.Positive(c, "c");
        BinarySearchSteps = Check.AtLeast(binarySearchSteps, 1, "binary-search-steps");
        Beta = Check.NonNegative(beta, "beta");
        Kappa = Check.NonNegative(kappa, "kappa");
    }

    public override string Name => "ead";
    public override Norm Norm => Norm.L1;
    public override bool SupportsL1 => true;
    public int Steps { get; }
    public double Lr { get; }
    public double C { get; }
    public int BinarySearchSteps { get; }
    public double Beta { get; }
    public double Kappa { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["lr"] = Lr, ["c"] = C, ["binary_search_steps"] = BinarySearchSteps, ["beta"] = Beta,
        ["kappa"] = Kappa, ["decision_rule"] = "l1",
    };

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        var best = x.clone();
        var bestL1 = full(x.shape[0], double.PositiveInfinity, dtype: x.dtype);
        using var search = new ConstantSearch(x.shape[0], C, x.dtype);
        for (var round = 0; round < BinarySearchSteps; round++)
        {
            using var scope = NewDisposeScope();
            var (adv, l1, found) = Minimise(model, x, goal, search.C, context);
            var better = found & l1.lt(bestL1);
            Iterates.Replace(ref best, where(LpBall.Broadcast(better, x), adv, best));
            Iterates.Replace(ref bestL1, where(better, l1, bestL1));
            search.Update(found);
        }
        bestL1.Dispose();
        return best;
    }

    /// <summary>One round of FISTA at fixed per-sample c: the round's adversarial x' of smallest L1 (+∞ if none).</summary>
    private (Tensor Adv, Tensor L1, Tensor Found) Minimise(Classifier model, Tensor x, AttackGoal goal, Tensor c,
        AttackContext context)
    {
        var (lo, hi) = (model.Lower, model.Upper);
        var xk = x.clone();
        var yk = x.clone();
        var best = x.clone();
        var bestL1 = full(x.shape[0], double.PositiveInfinity, dtype: x.dtype);
        var active = ones(x.shape[0], dtype: ScalarType.Bool);
        var previous = full(x.shape[0], double.PositiveInfinity, dtype: x.dtype);
        var checkEvery = Math.Max(1, Steps / 10);
        for (var k = 0; k < Steps; k++)
        {
            using var scope = NewDisposeScope();
            var rows = context.Select(active.nonzero().squeeze(1));
            // ∇g(y) = c·∇f(y) + 2(y − x): the distance term's gradient is written out (y is not the autograd leaf)
            var (gradF, _) = Gradients.Of(model, yk, z => (c * Losses.Margin(z, goal.Classes, goal.IsTargeted).clamp_min(-Kappa)).sum());
            var grad = gradF + 2 * (yk - x);
            rows.CountGradients();
            var lr = Lr * Math.Sqrt(1 - (double)k / Steps);
            var z = yk - lr * grad;
            var diff = z - x;
            var next = where(diff.gt(Beta), (z - Beta).clamp_max(hi), where(diff.lt(-Beta), (z + Beta).clamp_min(lo), x));
            next = where(LpBall.Broadcast(active, x), next, xk);
            var slack = next + (double)(k + 1) / (k + 4) * (next - xk);

            var margin = Losses.Margin(model.Logits(next), goal.Classes, goal.IsTargeted);
            rows.CountQueries();
            var delta = next - x;
            var l1 = LpBall.L1Norms(delta);
            var better = margin.lt(-Kappa) & l1.lt(bestL1);
            Iterates.Replace(ref best, where(LpBall.Broadcast(better, x), next, best));
            Iterates.Replace(ref bestL1, where(better, l1, bestL1));
            Iterates.Replace(ref yk, where(LpBall.Broadcast(active, x), slack, yk));
            Iterates.Replace(ref xk, next);

            if ((k + 1) % checkEvery != 0) continue;
            var loss = c * margin.clamp_min(-Kappa) + LpBall.L2Norms(delta).square() + Beta * l1;
            Iterates.Replace(ref active, active & loss.gt(previous * 0.999999).logical_not());
            Iterates.Replace(ref previous, loss);
            if (!active.any().item<bool>()) break;
        }
        foreach (var t in new[] { xk, yk, active, previous }) t.Dispose();
        return (best, bestL1, bestL1.isfinite());
    }
}
