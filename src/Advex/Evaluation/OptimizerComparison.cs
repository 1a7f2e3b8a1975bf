namespace Advex.Evaluation;

/// <summary>One optimizer driving the targeted optimizer attack (step 003 of the original notes): summary and per-iteration curves.</summary>
public sealed record OptimizerRun(
    string Name,
    double Lr,
    int Steps,
    double SuccessRate,
    double? MedianIterations,
    double FinalLoss,
    double MeanL2,
    double[] Loss,
    double[] TargetProbability,
    int[] FirstSuccessIteration);

/// <summary>The JSON of <c>advex optimizers</c>: SGD, RMSprop and Adam on the same samples toward one target class.</summary>
public sealed record OptimizerComparison(int Target, double? Eps, string Norm, int Samples, int Skipped,
    IReadOnlyList<OptimizerRun> Optimizers);
