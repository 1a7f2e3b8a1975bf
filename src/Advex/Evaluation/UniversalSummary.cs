namespace Advex.Evaluation;

using Advex.Attacks.Universal;

/// <summary><c>universal.json</c>: how the perturbation was learned and how often it fools the model.</summary>
/// <param name="FoolingRate">held-out images whose prediction v changes (the papers' fooling rate)</param>
/// <param name="RobustAccuracy">held-out accuracy under v (eval's figure; equal to eval --attack universal's)</param>
/// <param name="AttackSuccessRate">held-out images classified right whose label v breaks (eval's figure)</param>
public sealed record UniversalSummary(string Method, string Norm, double Eps, int TrainCount, int HeldoutCount,
    IReadOnlyList<UniversalPass> Passes, double TrainFoolingRate, double FoolingRate, double CleanAccuracy,
    double RobustAccuracy, double AttackSuccessRate, double Linf, double L2, double Seconds, string Perturbation);
