namespace Advex.Defenses;

using System.Text.Json.Serialization;
using Advex.Validation;

/// <summary>
/// How to harden an image classifier by adversarial training (L∞, pixels in [0,1]); validated on construction.
/// <list type="bullet">
/// <item><c>fgsm-rs</c>: Wong, Rice, Kolter (2020) "Fast is better than free": uniform random start in the ε-ball, one
/// FGSM step of size α (default 1.25·ε), CE on the result.</item>
/// <item><c>fgsm-ep</c>: Jia et al. (2022) FGSM-EP: FGSM-RS whose start is the perturbation the same sample ended
/// with in the previous epoch (random the first time); one gradient per batch like FGSM-RS, α defaults to 1.25·ε.</item>
/// <item><c>n-fgsm</c>: de Jorge et al. (2022): noise η ~ U(−k·ε, k·ε) (k = <see cref="Noise"/>, default 2), one
/// FGSM step of size α (default ε) from x + η, no projection back onto the ε-ball; avoids catastrophic overfitting
/// where FGSM-RS falls into it.</item>
/// <item><c>pgd</c>: Madry et al. (2018): PGD with random start, <see cref="Steps"/> steps of size α (default 2.5·ε/K),
/// CE on the result.</item>
/// <item><c>trades</c>: Zhang et al. (2019): CE(f(x), y) + β·KL(f(x) ‖ f(x')), x' from K steps of size α
/// (default ε/4) ascending the KL from x + 0.001·N(0, 1); β defaults to 6.</item>
/// </list>
/// <see cref="GradAlign"/> λ &gt; 0 adds λ·(1 − cos(∇ₓℓ(x), ∇ₓℓ(x + η))) to the single-step methods' loss
/// (Andriushchenko and Flammarion 2020; see <see cref="Defenses.GradAlign"/>).
/// Every epoch, clean and PGD accuracy (<see cref="EvalSteps"/> steps, α = ε/4, random start) are measured on a
/// held-out slice of <see cref="Heldout"/> training images, which are excluded from training. With
/// <see cref="EarlyStopping"/>, the final model is the epoch with the best held-out PGD accuracy, and training stops
/// once PGD accuracy falls more than <see cref="CollapseDrop"/> below that best (catastrophic overfitting).
/// </summary>
public sealed record AdversarialTraining
{
    /// <summary>The method names, in <see cref="TrainingMethodRegistry"/> order.</summary>
    public static IReadOnlyList<string> Methods => TrainingMethodRegistry.Names;

    public AdversarialTraining(string method, double eps, double? alpha = null, int? steps = null, double beta = 6,
        bool earlyStopping = true, int heldout = 1000, int evalSteps = 10, double collapseDrop = 0.2, double noise = 2,
        double gradAlign = 0)
    {
        Definition = TrainingMethodRegistry.Get(method);
        Method = method;
        Eps = Check.Positive(eps, "eps") <= 1 ? eps
            : throw new AdvexException($"eps {eps} is above 1, the largest L∞ distance between images in [0, 1]");
        Steps = Check.AtLeast(steps ?? Definition.DefaultSteps, 1, "adv-steps");
        if (Definition.SingleStep && Steps != 1) throw new AdvexException($"{method} takes exactly one step (steps must be 1)");
        Alpha = alpha is { } a ? Check.Positive(a, "alpha") : Definition.DefaultAlpha(eps, Steps);
        Beta = Check.NonNegative(beta, "beta");
        Noise = Check.NonNegative(noise, "noise");
        GradAlign = Check.NonNegative(gradAlign, "grad-align");
        if (GradAlign > 0 && !Definition.SingleStep)
            throw AdvexException.About($"grad-align applies to {TrainingMethodRegistry.SingleStepNames} only", "grad-align");
        EarlyStopping = earlyStopping;
        Heldout = Check.AtLeast(heldout, earlyStopping ? 1 : 0, "heldout");
        EvalSteps = Check.AtLeast(evalSteps, 1, "heldout-steps");
        CollapseDrop = Check.InRange(collapseDrop, 0, 1, "collapse-drop");
    }

    public string Method { get; }
    /// <summary>The registry entry of <see cref="Method"/>: its loss, defaults and whether it keeps per-sample state
    /// (not part of the options' JSON, which names the method).</summary>
    [JsonIgnore]
    public TrainingMethod Definition { get; }
    public double Eps { get; }
    public double Alpha { get; }
    public int Steps { get; }
    public double Beta { get; }
    /// <summary>N-FGSM's noise magnitude k, as a multiple of ε.</summary>
    public double Noise { get; }
    /// <summary>GradAlign's weight λ (0 = off).</summary>
    public double GradAlign { get; }
    public bool EarlyStopping { get; }
    public int Heldout { get; }
    public int EvalSteps { get; }
    public double CollapseDrop { get; }
}
