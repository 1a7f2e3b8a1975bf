namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// DeepFool (Moosavi-Dezfooli, Fawzi, Frossard 2016), a minimisation attack in L2. At the iterate xⁱ, with Z the
/// logits and ŷ the label, each class k ≠ ŷ has the linearised boundary f_k = Z_k − Z_ŷ, w_k = ∇ₓZ_k − ∇ₓZ_ŷ:
/// <code>
///   l  = argmin_{k≠ŷ} |f_k| / ‖w_k‖₂          the closest linearised boundary
///   rⁱ = |f_l| / ‖w_l‖₂² · w_l                 the smallest step onto it
///   r  = Σᵢ rⁱ,    xⁱ⁺¹ = clip(x + (1 + overshoot) · r)
/// </code>
/// per sample, until the prediction at xⁱ leaves ŷ or after `steps` iterations; a sample not broken by then returns
/// its last iterate. The box (the paper has none): coordinates at a bound whose step would leave the box are taken
/// out of every w_k before the distances and the step, and r is kept equal to the clipped perturbation
/// (xⁱ⁺¹ − x) / (1 + overshoot). Otherwise clipping eats part of every step and the iterates creep toward the
/// boundary without crossing it (84% success instead of 100% on the test suite's MNIST LeNet). Targeted goals (an extension, not in the paper): only the target's boundary counts; with t the
/// target and a the currently predicted class, f = Z_t − Z_a and w = ∇Z_t − ∇Z_a, until the prediction is t.
/// The gradients of all the model's classes come from one autograd.grad per class of the column-summed logits,
/// batched over the samples. Defaults (the paper's): 50 steps, overshoot 0.02, all classes.
/// </summary>
public sealed record DeepFool : Attack
{
    private const double Tiny = 1e-12;

    public DeepFool(int steps = 50, double overshoot = 0.02)
    {
        Steps = Check.AtLeast(steps, 1, "steps");
        Overshoot = Check.NonNegative(overshoot, "overshoot");
    }

    public override string Name => "deepfool";
    public override Norm Norm => Norm.L2;
    public int Steps { get; }
    public double Overshoot { get; }

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["steps"] = Steps, ["overshoot"] = Overshoot,
    };

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        var r = zeros_like(x);
        var xi = x.clone();
        var active = ones(x.shape[0], dtype: ScalarType.Bool);
        for (var i = 0; i < Steps; i++)
        {
            using var scope = NewDisposeScope();
            var (logits, jacobian) = Gradients.Jacobian(model, xi);
            Iterates.Replace(ref active, active & goal.Succeeded(logits.argmax(1)).logical_not());
            if (!active.any().item<bool>()) break;
            context.Select(active.nonzero().squeeze(1)).CountGradients(logits.shape[1]);
            var step = Step(logits, jacobian, goal, xi.flatten(1), model.Lower, model.Upper).view(x.shape);
            var next = (x + (1 + Overshoot) * (r + where(LpBall.Broadcast(active, x), step, zeros_like(step))))
                .clamp(model.Lower, model.Upper);
            Iterates.Replace(ref r, (next - x) / (1 + Overshoot));
            Iterates.Replace(ref xi, next);
        }
        r.Dispose();
        active.Dispose();
        return xi;
    }

    /// <summary>rⁱ [N, D]: the step from the region of class a onto the linearised boundary of class l.</summary>
    private static Tensor Step(Tensor logits, Tensor jacobian, AttackGoal goal, Tensor xi, double lo, double hi)
    {
        var atLower = xi.le(lo).unsqueeze(1);
        var atUpper = xi.ge(hi).unsqueeze(1);
        Tensor a, l;
        if (goal.IsTargeted)
        {
            a = logits.argmax(1);
            l = goal.Classes;
        }
        else
        {
            a = goal.Classes;
            var f = logits - logits.gather(1, a.unsqueeze(1));
            var w = Feasible(jacobian - Row(jacobian, a).unsqueeze(1), atLower, atUpper);
            var distance = f.abs() / w.norm(2, false, 2).clamp_min(Tiny);
            var isOwn = nn.functional.one_hot(a, logits.shape[1]).to_type(ScalarType.Bool);
            l = distance.masked_fill(isOwn, double.PositiveInfinity).argmin(1);
        }
        var fl = logits.gather(1, l.unsqueeze(1)).squeeze(1) - logits.gather(1, a.unsqueeze(1)).squeeze(1);
        var wl = Feasible((Row(jacobian, l) - Row(jacobian, a)).unsqueeze(1), atLower, atUpper).squeeze(1);
        return (fl.abs() / wl.square().sum(1).clamp_min(Tiny)).unsqueeze(1) * wl;
    }

    /// <summary>w [N, K, D] without the coordinates that would step out of the box (at lo going down, at hi going up).</summary>
    private static Tensor Feasible(Tensor w, Tensor atLower, Tensor atUpper) =>
        w.masked_fill((atLower & w.lt(0)) | (atUpper & w.gt(0)), 0);

    /// <summary>Row k[n] of each sample's Jacobian: [N, K, D] → [N, D].</summary>
    private static Tensor Row(Tensor jacobian, Tensor k) =>
        jacobian.gather(1, k.view(-1, 1, 1).expand(-1, 1, jacobian.shape[2])).squeeze(1);
}
