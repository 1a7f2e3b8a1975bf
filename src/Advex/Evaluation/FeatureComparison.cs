namespace Advex.Evaluation;

/// <summary>One optimizer driving the feature-space attack: the feature distance per iteration (index 0: clean) and
/// the L∞ norm of the returned perturbation.</summary>
public sealed record FeatureRun(string Name, double Lr, int Steps, double InitialDistance, double FinalDistance,
    double MaxLinf, double[] Distance);

/// <summary>The JSON of <c>advex optimizers --guide</c> (seed 003 on a real network): SGD, RMSprop and Adam moving
/// a source image's features onto a guide image's within an L∞ ε.</summary>
public sealed record FeatureComparison(string FeatureModel, int FeatureDimensions, string Data, int Source,
    string? SourceFile, int Guide, string? GuideFile, double Eps, IReadOnlyList<FeatureRun> Optimizers);
