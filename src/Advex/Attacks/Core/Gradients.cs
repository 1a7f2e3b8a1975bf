namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>Input gradients through torch.autograd.grad (the model's parameter gradients are never touched). Every
/// gradient is one attack step, so each checks for SIGINT/SIGTERM first (<see cref="Interruption"/>).</summary>
public static class Gradients
{
    /// <summary>∇ₓ loss(model(x)) for the given loss of logits; returns (gradient, per-sample logits detached). Inside an
    /// <see cref="Expectation"/> both are means over its draws of the model's randomness (EoT).</summary>
    public static (Tensor Grad, Tensor Logits) Of(Classifier model, Tensor x, Func<Tensor, Tensor> loss)
    {
        if (!model.HasGradients)
            throw new AdvexException($"the {model.Backend.Name()} backend running {model.DisplayName} gives no input gradients");
        Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        Tensor? gradSum = null, logitSum = null;
        for (var n = 0; n < Expectation.Draws; n++)
        {
            var xr = x.detach().requires_grad_(true);
            var logits = model.Logits(xr);
            var g = autograd.grad([loss(logits)], [xr])[0].detach();
            gradSum = gradSum is null ? g : gradSum.add_(g);
            logitSum = logitSum is null ? logits.detach() : logitSum.add_(logits.detach());
        }
        var draws = Expectation.Draws;
        return (gradSum!.div_(draws).MoveToOuterDisposeScope(), logitSum!.div_(draws).MoveToOuterDisposeScope());
    }

    /// <summary>Logits [N, K] and the input gradients of every logit [N, K, D] (D the flattened input), one
    /// autograd.grad per class of the column-summed logits, batched over the samples.</summary>
    public static (Tensor Logits, Tensor Jacobian) Jacobian(Classifier model, Tensor x)
    {
        Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        Tensor? jacobianSum = null, logitSum = null;
        for (var n = 0; n < Expectation.Draws; n++)
        {
            var xr = x.detach().requires_grad_(true);
            var logits = model.Logits(xr);
            var rows = new Tensor[logits.shape[1]];
            for (var k = 0; k < rows.Length; k++)
                rows[k] = autograd.grad([logits.select(1, k).sum()], [xr], retain_graph: k < rows.Length - 1)[0].flatten(1);
            var jacobian = stack(rows, 1);
            jacobianSum = jacobianSum is null ? jacobian : jacobianSum.add_(jacobian);
            logitSum = logitSum is null ? logits.detach() : logitSum.add_(logits.detach());
        }
        var draws = Expectation.Draws;
        return (logitSum!.div_(draws).MoveToOuterDisposeScope(), jacobianSum!.div_(draws).MoveToOuterDisposeScope());
    }

    /// <summary>∇ₓ of the goal's cross-entropy (ascent direction for both goals).</summary>
    public static Tensor CrossEntropy(Classifier model, Tensor x, AttackGoal goal)
    {
        var (g, logits) = Of(model, x, l => Losses.CrossEntropy(l, goal));
        logits.Dispose();
        return g;
    }

    /// <summary>∇ₓ of the goal's cross-entropy that keeps its graph (create_graph), so a loss built from it trains the
    /// model's parameters by double backpropagation (GradAlign).</summary>
    public static Tensor CrossEntropyWithGraph(Classifier model, Tensor x, AttackGoal goal)
    {
        Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
        using var _ = enable_grad();
        var xr = x.detach().requires_grad_(true);
        var l = Losses.CrossEntropy(model.Logits(xr), goal);
        return autograd.grad([l], [xr], retain_graph: true, create_graph: true)[0];
    }
}
