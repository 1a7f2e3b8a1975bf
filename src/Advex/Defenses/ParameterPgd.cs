namespace Advex.Defenses;

using Advex.Validation;
using static TorchSharp.torch;

/// <summary>
/// PGD on parameters (Madry et al. 2018's projected gradient descent, as used on embeddings in NLP adversarial
/// training): starting from the clean gradient, K times: θ ← Π_ε(θ + α·g/‖g‖₂), where Π_ε projects each selected
/// parameter tensor onto the L2 ball of radius ε around its clean value, then a forward/backward at the new θ. The
/// first K−1 backward passes only find the direction (every gradient of the module is zeroed before them); before the
/// last, the clean gradients are put back so that the final adversarial gradient is added to them. θ is restored
/// exactly afterwards.
/// </summary>
public sealed class ParameterPgd : ParameterPerturbation
{
    public ParameterPgd(nn.Module module, double eps = 1.0, double alpha = 0.3, int steps = 3,
        IReadOnlyCollection<string>? parameterNames = null) : base(module, parameterNames)
    {
        Eps = Check.Positive(eps, "eps");
        Alpha = Check.Positive(alpha, "alpha");
        Steps = Check.AtLeast(steps, 1, "adv-steps");
    }

    public override string Name => "pgd";

    public override double Eps { get; }

    /// <summary>The L2 length of each step.</summary>
    public double Alpha { get; }

    /// <summary>K, the number of perturbation steps (and extra forward/backward passes).</summary>
    public int Steps { get; }

    protected override double Run(Func<Tensor> loss, IReadOnlyList<Tensor> backup)
    {
        var all = Module.parameters().Where(p => p.requires_grad).ToList();
        var clean = all.Select(p => p.grad?.detach().clone()).ToList();
        double last = 0;
        for (var k = 1; k <= Steps; k++)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                for (var i = 0; i < Parameters.Count; i++)
                {
                    StepAlongGradient(Parameters[i], Alpha);
                    var delta = Parameters[i] - backup[i];
                    var norm = delta.norm().item<float>();
                    if (norm > Eps) Parameters[i].copy_(backup[i] + delta.mul_(Eps / norm));
                }
                for (var i = 0; i < all.Count; i++)
                {
                    using var g = all[i].grad;
                    if (g is null) continue;
                    if (k < Steps || clean[i] is null) g.zero_();
                    else g.copy_(clean[i]!);
                }
            }
            var adversarial = loss();
            adversarial.backward();
            last = adversarial.item<float>();
        }
        return last;
    }
}
