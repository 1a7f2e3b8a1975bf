namespace Advex.Attacks;

/// <summary>
/// The attack options a user can set by name (DESIGN §8); null means "the paper's default". Each attack reads the
/// ones that apply to it.
/// </summary>
public sealed record AttackSettings
{
    public Norm? Norm { get; init; }
    public int? Steps { get; init; }
    public double? StepSize { get; init; }
    public bool? RandomStart { get; init; }
    public int? Restarts { get; init; }
    public double? Momentum { get; init; }
    public double? C { get; init; }
    public double? Kappa { get; init; }
    public int? BinarySearchSteps { get; init; }
    public double? Lr { get; init; }
    public string? Optimizer { get; init; }
    public double? Overshoot { get; init; }
    public string? Generator { get; init; }
    /// <summary>A saved universal perturbation (<c>.npy</c>) for the <c>universal</c> attack.</summary>
    public string? Perturbation { get; init; }
    /// <summary>Query budget of the black-box attacks (Square, HopSkipJump).</summary>
    public int? Queries { get; init; }
    /// <summary>EAD's L1 weight β.</summary>
    public double? Beta { get; init; }
    /// <summary>Expectation over transformation: draws of a randomized model each gradient averages over.</summary>
    public int? Eot { get; init; }
    /// <summary>AutoAttack's version: <c>standard</c> or <c>rand</c>.</summary>
    public string? Version { get; init; }
}
