namespace Advex.Attacks;

using System.Runtime.CompilerServices;

/// <summary>
/// <see cref="AttackSettings"/> as one attack's factory sees them: every property read is remembered by its parameter
/// name, so that a setting the chosen attacks never read is refused instead of silently ignored
/// (<see cref="AttackSettings.RequireUsed"/>). The registry's factories read settings only through this type.
/// </summary>
public sealed class SettingsReader(AttackSettings settings)
{
    private readonly List<string> read = [];

    /// <summary>The parameter names read so far, each once, in the order first read (<c>steps</c>, <c>step-size</c>).</summary>
    public IReadOnlyList<string> Read => read;

    public Norm? Norm => Get(settings.Norm);
    public int? Steps => Get(settings.Steps);
    public double? StepSize => Get(settings.StepSize);
    public bool? RandomStart => Get(settings.RandomStart);
    public int? Restarts => Get(settings.Restarts);
    public double? Momentum => Get(settings.Momentum);
    public double? C => Get(settings.C);
    public double? Kappa => Get(settings.Kappa);
    public int? BinarySearchSteps => Get(settings.BinarySearchSteps);
    public double? Lr => Get(settings.Lr);
    public string? Optimizer => Get(settings.Optimizer);
    public double? Overshoot => Get(settings.Overshoot);
    public string? Generator => Get(settings.Generator);
    public string? Perturbation => Get(settings.Perturbation);
    public int? Queries => Get(settings.Queries);
    public double? Beta => Get(settings.Beta);
    public int? Eot => Get(settings.Eot);
    public Core.TargetRanking? Targets => Get(settings.Targets);
    public AutoAttackVersion? Version => Get(settings.Version);

    private T Get<T>(T value, [CallerMemberName] string property = "")
    {
        var name = AttackSettings.ParameterName(property);
        if (!read.Contains(name)) read.Add(name);
        return value;
    }
}
