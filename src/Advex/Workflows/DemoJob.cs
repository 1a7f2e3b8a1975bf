namespace Advex.Workflows;

/// <summary>What <see cref="DemoWorkflow"/> does: the newcomer's path (<see cref="DemoPlan"/>) into <see cref="OutDir"/>.</summary>
public sealed record DemoJob
{
    public DemoPlan Plan { get; init; } = DemoPlan.Full;

    public required string OutDir { get; init; }

    public int Seed { get; init; }

    /// <summary>The command line kept in the evaluations' results.</summary>
    public string Command { get; init; } = "advex demo";
}

/// <summary>Each finished step of the demo, for a front end to show as the standalone job would.</summary>
public sealed record DemoObserver
{
    public Action<TrainOutcome>? Trained { get; init; }
    public Action<EvalOutcome>? Evaluated { get; init; }
    public Action<OptimizerOutcome>? Compared { get; init; }
    public Action<FeatureOutcome>? FeaturesCompared { get; init; }
    public Action<AdvGanJob, AdvGanSummary>? AdvGanTrained { get; init; }
    public Action<GanJob, GanSummary>? GanTrained { get; init; }
    public Action<ReportOutcome>? Reported { get; init; }
}

/// <summary>What the demo produced: the report's <c>index.html</c>, the output folder and the wall time.</summary>
public sealed record DemoOutcome(string Index, string OutDir, double Seconds);
