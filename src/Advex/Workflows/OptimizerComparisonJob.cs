namespace Advex.Workflows;

using Advex.Attacks;

/// <summary>
/// What <see cref="OptimizerComparisonWorkflow"/> does (seed 003): drive the same targeted
/// <see cref="OptimizerAttack"/> toward class <see cref="Target"/> with each optimizer, on the same samples.
/// </summary>
public sealed record OptimizerComparisonJob
{
    public required int Target { get; init; }

    public IReadOnlyList<OptimizerKind> Optimizers { get; init; } = [OptimizerKind.Sgd, OptimizerKind.RmsProp, OptimizerKind.Adam];

    public int Steps { get; init; } = 100;

    /// <summary>The same learning rate for every optimizer.</summary>
    public double Lr { get; init; } = 0.01;

    /// <summary>Perturbation budget; +∞ is unbounded (box only).</summary>
    public double Eps { get; init; } = double.PositiveInfinity;

    public Norm Norm { get; init; } = Norm.Linf;

    /// <summary>Folder for the loss and target-probability figures (null: none).</summary>
    public string? OutDir { get; init; }

    /// <summary>Write the comparison to this file (null: none).</summary>
    public string? Json { get; init; }

    /// <summary>Samples per batch, or null for auto (<see cref="Evaluation.BatchPlanner"/>); the figures do not depend
    /// on it.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The peak memory in bytes the comparison may reach, or null for the default budget.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>Seeds torch's global generator before the attacks.</summary>
    public int Seed { get; init; }

    /// <summary>One attack per optimizer, in order (validates the settings).</summary>
    public IReadOnlyList<OptimizerAttack> Attacks()
    {
        if (Optimizers.Count == 0) throw AdvexException.About("optimizers: empty list", "optimizers");
        return Optimizers.Distinct().Select(k => new OptimizerAttack(Eps, k, Lr, Steps, Norm)).ToList();
    }
}
