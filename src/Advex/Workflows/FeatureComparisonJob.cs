namespace Advex.Workflows;

using Advex.Attacks;

/// <summary>
/// What <see cref="FeatureComparisonWorkflow"/> does (seed 003 on a real network): drive the feature-space attack
/// (<see cref="FeatureSpaceAttack"/>) from sample <see cref="Source"/> toward sample <see cref="Guide"/>'s features
/// with each optimizer.
/// </summary>
public sealed record FeatureComparisonJob
{
    public required int Guide { get; init; }

    public int Source { get; init; }

    public IReadOnlyList<OptimizerKind> Optimizers { get; init; } = [OptimizerKind.Sgd, OptimizerKind.RmsProp, OptimizerKind.Adam];

    public int Steps { get; init; } = 100;

    /// <summary>The same learning rate for every optimizer.</summary>
    public double Lr { get; init; } = 0.01;

    /// <summary>L∞ budget of the perturbation (Sabour et al. used 10/255).</summary>
    public double Eps { get; init; } = 10 / 255.0;

    /// <summary>Folder for the distance figure and the photo grid (null: none).</summary>
    public string? OutDir { get; init; }

    /// <summary>Write the comparison to this file (null: none).</summary>
    public string? Json { get; init; }

    /// <summary>One attack per optimizer, in order (validates the settings).</summary>
    public IReadOnlyList<FeatureSpaceAttack> Attacks()
    {
        if (Optimizers.Count == 0) throw AdvexException.About("optimizers: empty list", "optimizers");
        return Optimizers.Distinct().Select(k => new FeatureSpaceAttack(Eps, k, Lr, Steps)).ToList();
    }
}
