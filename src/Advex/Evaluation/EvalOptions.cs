namespace Advex.Evaluation;

using Advex.Validation;

/// <summary>Options of a robustness evaluation.</summary>
public sealed record EvalOptions
{
    /// <summary>Samples per batch, or null for auto: the fastest per sample (<see cref="BatchSpeed"/>) of the batches
    /// whose peak memory fits <see cref="MaxMemory"/> (<see cref="BatchPlanner"/>); the records do not depend on it.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The peak resident memory in bytes the evaluation may reach, or null for
    /// <see cref="BatchPlanner.DefaultBudget"/>; a batch that would exceed it shrinks.</summary>
    public long? MaxMemory { get; init; }
    public int Seed { get; init; }
    public TargetMode Target { get; init; } = TargetMode.None;
    /// <summary>How many of the first samples to keep as example images per run.</summary>
    public int ExampleCount { get; init; } = 8;
    public string Command { get; init; } = "";
    /// <summary>The ε at which minimisation attacks (C&amp;W, DeepFool) are also scored.</summary>
    public double[] Eps { get; init; } = [];
    /// <summary>Run each attack only on the samples still robust after the earlier attacks at the same ε and norm
    /// (AutoAttack's semantics); iterative attacks then stop per sample at the first adversarial iterate.</summary>
    public bool Cascade { get; init; }
    /// <summary>Iterative attacks stop per sample at the first adversarial iterate (always on in a cascade).</summary>
    public bool EarlyStop { get; init; }
    /// <summary>The slice of the data to evaluate.</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>The first dataset indices that the "more steps" sanity check reruns.</summary>
    public const int MoreStepsSamples = 256;

    /// <summary>The first dataset indices on which randomized attacks are repeated alone (reproducibility check),
    /// and which a run at ε = 0 really attacks instead of reusing the clean predictions.</summary>
    public const int RepeatSamples = 8;

    public EvalOptions Validate()
    {
        if (BatchSize is { } b) Check.AtLeast(b, 1, "batch-size");
        if (MaxMemory is <= 0) throw AdvexException.About($"max-memory must be positive (got {MaxMemory})", "max-memory");
        Check.AtLeast(ExampleCount, 0, "examples");
        return this;
    }
}
