namespace Advex.Attacks;

using Advex.Attacks.Core;
using Advex.Models;
using Advex.Validation;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// What <see cref="FeatureSpaceAttack.Run"/> records: <see cref="Distance"/>[k] is the mean over samples of
/// ‖φ(x + δ) − φ(g)‖₂ after k optimizer steps (index 0: the clean input), so it has Steps + 1 entries;
/// <see cref="Linf"/> the returned perturbations' L∞ norms.
/// </summary>
public sealed record FeatureTrace(double[] Distance, double[] Linf);

/// <summary>
/// Feature-space targeted attack (Sabour, Cao, Faghri and Fleet 2016, "Adversarial manipulation of deep
/// representations"): move a source image's internal representation onto a guide image's while the image itself
/// stays within an L∞ ball,
/// <code>
/// minimise  ‖φ(x + δ) − φ(g)‖₂²   subject to  ‖δ‖∞ ≤ ε,  x + δ ∈ [0,1]
/// </code>
/// with φ a <see cref="FeatureExtractor"/>. As in the seed-003 optimizer attack (<see cref="OptimizerAttack"/>), δ is
/// the parameter of a torch.optim optimizer (SGD, RMSprop or Adam) fed ∇_δ from torch.autograd.grad, and after every
/// step δ ← Π_ε(clip₀¹(x + δ)) − x. The paper used L-BFGS-B with box constraints; the optimizer is the variable here.
/// </summary>
public sealed record FeatureSpaceAttack
{
    public FeatureSpaceAttack(double eps, OptimizerKind optimizer = OptimizerKind.Adam, double lr = 0.01, int steps = 100)
    {
        Eps = Check.NonNegative(eps, "eps");
        Optimizer = optimizer;
        Lr = Check.Positive(lr, "lr");
        Steps = Check.AtLeast(steps, 1, "steps");
    }

    public double Eps { get; }
    public OptimizerKind Optimizer { get; }
    public double Lr { get; }
    public int Steps { get; }

    /// <summary>Runs the attack on sources x [N, ...] toward the guides' features [N, D] (or [1, D] for one guide);
    /// returns the adversarial images and the trace.</summary>
    public (Tensor Adversarial, FeatureTrace Trace) Run(FeatureExtractor phi, Tensor x, Tensor guideFeatures)
    {
        using (no_grad())
            if (x.min().item<float>() < 0 || x.max().item<float>() > 1) throw new AdvexException("source images must lie in [0, 1]");
        var distance = new double[Steps + 1];
        using var delta = new Parameter(zeros_like(x), requires_grad: true);
        using var optimizer = DeltaOptimizer.Create(Optimizer, delta, Lr);
        for (var k = 0; k < Steps; k++)
        {
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            var xr = (x + delta.detach()).requires_grad_(true);
            var gap = (phi.Features(xr) - guideFeatures).pow(2).sum(1);
            distance[k] = gap.detach().sqrt().mean().item<float>();
            delta.grad = autograd.grad([gap.sum()], [xr])[0];
            optimizer.step();
            using var _ = no_grad();
            var feasible = LpBall.Project((x + delta).clamp(0, 1), x, Eps, Norm.Linf).clamp(0, 1);
            delta.copy_(feasible - x);
        }
        using var final = no_grad();
        var adv = (x + delta).detach();
        double[] linf;
        using (var scope = NewDisposeScope())
        {
            distance[Steps] = (phi.Features(adv) - guideFeatures).pow(2).sum(1).sqrt().mean().item<float>();
            linf = (adv - x).abs().flatten(1).amax(1).to_type(ScalarType.Float64).data<double>().ToArray();
        }
        return (adv, new FeatureTrace(distance, linf));
    }
}
