namespace Advex.Attacks.Universal;

using Advex.Validation;

/// <summary>How a universal perturbation is learned.</summary>
public enum UniversalMethod
{
    /// <summary>Moosavi-Dezfooli et al. 2017, Algorithm 1: DeepFool steps on the samples v does not fool yet.</summary>
    DeepFool,

    /// <summary>Shafahi et al. 2020 (Universal adversarial training), sgd-UAP: ascent on a clipped cross-entropy over
    /// minibatches.</summary>
    Sgd,
}

/// <summary>
/// Options of a universal perturbation: the method, the budget (ε in <see cref="Norm"/>), at most
/// <see cref="Passes"/> passes over the training images, and per method: DeepFool's steps and overshoot and the
/// target fooling rate 1 − δ at which Algorithm 1 stops; sgd-UAP's minibatch size, step size (default ε/10 … the
/// first pass; it decays by <see cref="StepDecay"/> per pass) and the loss clip β.
/// </summary>
public sealed record UniversalOptions
{
    public UniversalOptions(UniversalMethod method, double eps, Norm norm = Norm.Linf, int passes = 5, int deepFoolSteps = 50,
        double overshoot = 0.02, double targetFoolingRate = 0.8, int batchSize = 64, double? stepSize = null,
        double stepDecay = 0.8, double beta = 9)
    {
        Method = method;
        Eps = Check.Positive(eps, "eps");
        Norm = norm is Norm.Linf or Norm.L2 ? norm : throw AdvexException.About("norm of a universal perturbation must be linf or l2", "norm");
        Passes = Check.AtLeast(passes, 1, "passes");
        DeepFoolSteps = Check.AtLeast(deepFoolSteps, 1, "steps");
        Overshoot = Check.NonNegative(overshoot, "overshoot");
        TargetFoolingRate = Check.InRange(targetFoolingRate, 0, 1, "fooling-target");
        BatchSize = Check.AtLeast(batchSize, 1, "batch-size");
        StepSize = Check.Positive(stepSize ?? eps / 10, "step-size");
        StepDecay = Check.InRange(stepDecay, 1e-6, 1, "step-decay");
        Beta = Check.Positive(beta, "beta");
    }

    public UniversalMethod Method { get; }
    public double Eps { get; }
    public Norm Norm { get; }
    public int Passes { get; }
    public int DeepFoolSteps { get; }
    public double Overshoot { get; }
    public double TargetFoolingRate { get; }
    public int BatchSize { get; }
    public double StepSize { get; }
    public double StepDecay { get; }
    public double Beta { get; }

    public static UniversalMethod ParseMethod(string name) => name switch
    {
        "deepfool" => UniversalMethod.DeepFool,
        "sgd" => UniversalMethod.Sgd,
        _ => throw AdvexException.About($"unknown universal method '{name}' (expected deepfool or sgd)", "universal"),
    };
}
