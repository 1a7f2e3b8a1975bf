namespace Advex.Evaluation;

using Advex.Validation;

/// <summary>Options of a robustness evaluation.</summary>
public sealed record EvalOptions
{
    public int BatchSize { get; init; } = 256;
    public int Seed { get; init; }
    public TargetMode Target { get; init; } = TargetMode.None;
    /// <summary>How many of the first samples to keep as example images per run.</summary>
    public int ExampleCount { get; init; } = 8;
    public string Command { get; init; } = "";
    /// <summary>The ε at which minimisation attacks (C&amp;W, DeepFool) are also scored.</summary>
    public double[] Eps { get; init; } = [];

    public EvalOptions Validate()
    {
        Check.AtLeast(BatchSize, 1, "batch-size");
        Check.AtLeast(ExampleCount, 0, "examples");
        return this;
    }
}
