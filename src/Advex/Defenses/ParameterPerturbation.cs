namespace Advex.Defenses;

using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// Adversarial training in parameter space (step 002 of the original notes; Miyato et al. 2017 for text): after the clean
/// <c>loss.backward()</c> of a batch, and before <c>optimizer.step()</c>, <see cref="AccumulateAdversarialGradient"/>
/// backs up the selected parameters, moves them along their gradient (<see cref="ParameterFgm"/>: one step of L2
/// length ε; <see cref="ParameterPgd"/>: K steps projected onto the ε-ball), runs the loss again and back-propagates it
/// so that the adversarial gradient is added to the clean one in <c>.grad</c>, and restores the parameters exactly
/// (bit-for-bit) before returning, even when the loss throws.
/// <para>Works with any module: select parameters by their exact <c>named_parameters()</c> names, or by default every
/// trainable parameter whose name contains <see cref="DefaultMatch"/> (for <c>TextCnn</c>: <c>embedding.weight</c>).
/// The ε-ball and the gradient norm are per parameter tensor (the whole embedding matrix, as in the seed), so the
/// perturbation falls on the rows of the tokens in the batch.</para>
/// </summary>
public abstract class ParameterPerturbation
{
    public const string DefaultMatch = "embedding";

    protected ParameterPerturbation(nn.Module module, IReadOnlyCollection<string>? parameterNames)
    {
        Module = module;
        var all = module.named_parameters().ToList();
        List<(string name, Parameter parameter)> selected;
        if (parameterNames is null)
        {
            selected = all.Where(p => p.name.Contains(DefaultMatch, StringComparison.Ordinal) && p.parameter.requires_grad).ToList();
            if (selected.Count == 0)
                throw new AdvexException($"no trainable parameter name contains '{DefaultMatch}' (parameters: {string.Join(", ", all.Select(p => p.name))})");
        }
        else
        {
            selected = [];
            foreach (var name in parameterNames)
            {
                var match = all.Where(p => p.name == name).ToList();
                if (match.Count == 0)
                    throw new AdvexException($"unknown parameter '{name}' (parameters: {string.Join(", ", all.Select(p => p.name))})");
                if (!match[0].parameter.requires_grad) throw new AdvexException($"parameter '{name}' does not require a gradient");
                selected.Add(match[0]);
            }
            if (selected.Count == 0) throw new AdvexException("no parameters selected for the perturbation");
        }
        ParameterNames = selected.Select(p => p.name).ToList();
        Parameters = selected.Select(p => p.parameter).ToList();
    }

    /// <summary>"fgm" or "pgd".</summary>
    public abstract string Name { get; }

    /// <summary>The L2 radius of the perturbation of each selected parameter tensor.</summary>
    public abstract double Eps { get; }

    /// <summary>The names of the perturbed parameters.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    protected nn.Module Module { get; }

    protected IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Perturbs, adds the gradient of <paramref name="loss"/> at the perturbed parameters to <c>.grad</c>, and
    /// restores the parameters' exact values. <paramref name="loss"/> must run the forward pass anew each call (it is
    /// called with the parameters perturbed). Returns the (last) adversarial loss.
    /// </summary>
    public double AccumulateAdversarialGradient(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var backup = Parameters.Select(p => p.detach().clone()).ToList();
        try
        {
            return Run(loss, backup);
        }
        finally
        {
            using var _ = no_grad();
            for (var i = 0; i < Parameters.Count; i++) Parameters[i].copy_(backup[i]);
        }
    }

    /// <summary>The method's steps; the base class restores the parameters from <paramref name="backup"/> afterwards.</summary>
    protected abstract double Run(Func<Tensor> loss, IReadOnlyList<Tensor> backup);

    /// <summary>Adds <c>step · g/‖g‖₂</c> to <paramref name="p"/> in place (no-op when the gradient is missing, zero or
    /// not finite). Call under <c>no_grad</c>.</summary>
    protected static void StepAlongGradient(Parameter p, double step)
    {
        using var g = p.grad;
        if (g is null) return;
        var norm = g.norm().item<float>();
        if (float.IsFinite(norm) && norm > 0) p.add_(g, step / norm);
    }

    /// <summary>The perturbation for a <c>--adv</c> name: null for "none", else FGM or PGD.</summary>
    public static ParameterPerturbation? Create(string method, nn.Module module, double eps, double alpha, int steps,
        IReadOnlyCollection<string>? parameterNames = null) => method switch
    {
        "none" => null,
        "fgm" => new ParameterFgm(module, eps, parameterNames),
        "pgd" => new ParameterPgd(module, eps, alpha, steps, parameterNames),
        _ => throw new AdvexException($"unknown adversarial training '{method}' (expected none, fgm or pgd)"),
    };
}
