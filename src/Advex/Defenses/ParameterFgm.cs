namespace Advex.Defenses;

using Advex.Validation;
using static TorchSharp.torch;

/// <summary>
/// FGM on parameters (Goodfellow et al. 2015's fast gradient method in L2, applied to word embeddings by Miyato et
/// al. 2017; step 002 of the original notes): θ' = θ + ε·g/‖g‖₂ with g the clean gradient of each selected parameter tensor, one extra
/// forward/backward at θ', then θ restored exactly. Not to be confused with the input-space attack
/// <see cref="Advex.Attacks.Fgm"/>.
/// </summary>
public sealed class ParameterFgm : ParameterPerturbation
{
    public ParameterFgm(nn.Module module, double eps = 1.0, IReadOnlyCollection<string>? parameterNames = null)
        : base(module, parameterNames) => Eps = Check.Positive(eps, "eps");

    public override string Name => "fgm";

    public override double Eps { get; }

    protected override double Run(Func<Tensor> loss, IReadOnlyList<Tensor> backup)
    {
        using (no_grad())
            foreach (var p in Parameters) StepAlongGradient(p, Eps);
        using var adversarial = loss();
        adversarial.backward();
        return adversarial.item<float>();
    }
}
